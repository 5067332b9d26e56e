namespace Middleware.Extensions;

public static class MiddlewareHostOptions
{
    /// <summary>
    /// Host options with the dashboard's web root found: the working directory's <c>wwwroot</c> when there is one
    /// (running from the project folder), else the copy next to <c>Middleware.dll</c> (running from anywhere else).
    /// </summary>
    public static WebApplicationOptions Create(string[] args)
    {
        var local = Path.Combine(Directory.GetCurrentDirectory(), "wwwroot");
        var bundled = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        return new WebApplicationOptions
        {
            Args = UninstallCommand.HostArguments(args),
            WebRootPath = !Directory.Exists(local) && Directory.Exists(bundled) ? bundled : null,
        };
    }
}
