var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.UseDefaultPort(8001, seedPortKey: "llm_server_port");

var app = builder.Build();
app.MapDefaultEndpoints();

app.Run();
