using System.Diagnostics;
using System.Text.Json.Nodes;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.Functions.Tests.Deploy;

/// <summary>
/// The deployable package, laid out once per test run by <c>scripts/publish.sh</c> exactly as <c>azd deploy</c> gets
/// it: the self-contained app, host.json and a folder with a function.json per function.
/// </summary>
public sealed class PublishedPackage : IAsyncLifetime
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "fasttrack-package-" + Guid.NewGuid().ToString("N"));

    public string Executable => Path.Combine(Folder, "FastTrack.Functions");

    /// <summary>Each function folder's name and its function.json.</summary>
    public IReadOnlyDictionary<string, JsonObject> Functions() =>
        Directory.GetDirectories(Folder)
            .Where(folder => File.Exists(Path.Combine(folder, "function.json")))
            .ToDictionary(
                folder => Path.GetFileName(folder),
                folder => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "function.json")))!.AsObject());

    public async Task InitializeAsync()
    {
        using var publish = Process.Start(new ProcessStartInfo(Repository.PathOf("scripts/publish.sh"), [Folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(publish.ExitCode == 0, $"scripts/publish.sh failed:\n{await output}\n{await errors}");
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Tests of the published package share one publish (it takes a while) and one Azurite.</summary>
[CollectionDefinition(Name)]
public sealed class PackageGroup : ICollectionFixture<PublishedPackage>, ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Published package";
}
