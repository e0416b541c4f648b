using FastTrack.Functions.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddFastTrack();

var app = builder.Build();
app.MapFastTrack();
app.Run();

/// <summary>The app's entry point; public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;
