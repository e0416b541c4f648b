using System.Text.Json;
using Microsoft.Extensions.Configuration.Memory;

namespace FastTrack.DevHost.Hosting;

/// <summary>
/// The dev host reads its settings the way <c>func start</c> does: the <c>Values</c> of <c>local.settings.json</c>, or
/// of <c>local.settings.sample.json</c> when there is no local copy. Environment variables still win.
/// </summary>
public static class LocalSettings
{
    private static readonly string[] FileNames = ["local.settings.json", "local.settings.sample.json"];

    /// <returns>The file read, or null when none was.</returns>
    public static string? AddLocalSettings(this ConfigurationManager configuration, string contentRoot)
    {
        if (Find(contentRoot) is not { } path)
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var values = document.RootElement.TryGetProperty("Values", out var section)
            ? section.EnumerateObject().ToDictionary(
                value => value.Name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal),
                value => value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString() : value.Value.GetRawText())
            : [];

        // Lowest precedence: environment variables (and anything a test host sets) override the file, as for func start.
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = values });
        return path;
    }

    /// <summary>The nearest settings file in the content root (by default the working directory) or a folder above.</summary>
    private static string? Find(string contentRoot) =>
        Ancestors(contentRoot)
            .SelectMany(folder => FileNames.Select(name => Path.Combine(folder, name)))
            .FirstOrDefault(File.Exists);

    private static IEnumerable<string> Ancestors(string folder)
    {
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
        {
            yield return dir.FullName;
        }
    }
}
