var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.UseDefaultPort(8002, seedPortKey: "middleware_port");

var app = builder.Build();
app.MapDefaultEndpoints();

app.Run();
