namespace Bridge.AppHost.Options;

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Usage = 2;
    public const int PortInUse = 3;
}

/// <summary>Why the AppHost stops before it starts anything: printed to stderr (or stdout for --help) with its exit code.</summary>
public sealed record EarlyExit(int Code, string Message)
{
    public static EarlyExit Help() => new(ExitCodes.Ok, HelpText.Text);

    public static EarlyExit Usage(string error) => new(ExitCodes.Usage, $"apphost: {error}\nRun with --help to see the options.");

    public int Report()
    {
        (Code == ExitCodes.Ok ? Console.Out : Console.Error).WriteLine(Message);
        return Code;
    }
}
