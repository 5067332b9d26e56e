using LlmServer.Apis;
using LlmServer.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.UseDefaultPort(8001, seedPortKey: "llm_server_port");
builder.AddApplicationServices();
builder.AddDefaultOpenApi();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapDefaultOpenApi();
app.MapTeacherApi();
app.MapReviewApi();

app.Run();
