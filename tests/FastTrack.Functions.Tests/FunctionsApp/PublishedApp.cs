using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.Functions.Tests.FunctionsApp;

/// <summary>
/// <c>dotnet publish src/FastTrack.Functions</c>, once for the test class, in the configuration the tests were built in:
/// what azd deploys, with the function metadata the Worker SDK writes at build time.
/// </summary>
public sealed class PublishedApp : IAsyncLifetime
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "fasttrack-functions-" + Guid.NewGuid().ToString("N"));

    public string Output => _output;

    /// <summary>The functions of <c>functions.metadata</c>, each with its name and bindings.</summary>
    public IReadOnlyList<PublishedFunction> Functions { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var configuration = typeof(PublishedApp).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        using var publish = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "publish", Repository.PathOf("src/FastTrack.Functions/FastTrack.Functions.csproj"), "--configuration", configuration, "--output", _output, "--nologo" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({publish.ExitCode}):\n{await stdout}\n{await stderr}");
        }

        Functions = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_output, "functions.metadata")))!.AsArray()
            .Select(function => new PublishedFunction(
                (string)function!["name"]!,
                function["bindings"]!.AsArray().Select(binding => binding!.AsObject()).ToList()))
            .ToList();
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_output, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>A function as the Functions host reads it from <c>functions.metadata</c>.</summary>
public sealed record PublishedFunction(string Name, IReadOnlyList<JsonObject> Bindings)
{
    /// <summary>The trigger binding (every function has exactly one).</summary>
    public JsonObject Trigger => Bindings.Single(binding => ((string)binding["type"]!).EndsWith("Trigger", StringComparison.Ordinal));

    public string TriggerType => (string)Trigger["type"]!;

    public string? this[string property] => (string?)Trigger[property];
}
