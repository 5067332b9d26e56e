var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.UseDefaultPort(8000);

var app = builder.Build();
app.MapDefaultEndpoints();

app.Run();
