using Middleware.Apis;
using Middleware.Extensions;

var builder = WebApplication.CreateBuilder(MiddlewareHostOptions.Create(args));
builder.AddServiceDefaults();
builder.UseDefaultPort(8002, seedPortKey: "middleware_port");
builder.AddApplicationServices();
builder.AddDefaultOpenApi();

var app = builder.Build();
if (UninstallCommand.IsRequested(args))
{
    return await UninstallCommand.RunAsync(app);
}

app.MapDefaultEndpoints();
app.MapDefaultOpenApi();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseApiKeys();

app.MapTrainingApi();
app.MapReviewApi();
app.MapExportApi();
app.MapBrokerApi();
app.MapPeerProxy();

await app.RunAsync();
return 0;

/// <summary>The entry point, public so tests can host the middleware (several services define <c>Program</c>).</summary>
public partial class Program;
