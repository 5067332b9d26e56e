Console.WriteLine("AppHost: not yet written");
