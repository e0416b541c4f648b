using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using FastTrack.Functions.Triggers;

var builder = WebApplication.CreateBuilder(args);
builder.AddFastTrack();

var app = builder.Build();
app.MapFastTrack();
if (FunctionMetadata.RequestedFolder(args) is { } metadataFolder)
{
    // The publish step (scripts/publish.sh): the app's functions as function.json files, then exit without serving.
    FunctionMetadata.Write(app, metadataFolder);
    return;
}

app.Run();

/// <summary>The app's entry point; public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;
