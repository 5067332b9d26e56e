using Cerebrum.Api.Apis;
using Cerebrum.Api.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.UseDefaultPort(8000);
builder.AddApplicationServices();
builder.AddDefaultOpenApi();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapDefaultOpenApi();
app.MapCerebrumApi();

app.Run();
