using System.Text.Json;
using System.Text.RegularExpressions;
using FastTrack.Core;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.Functions.Tests.Deploy;

/// <summary>
/// Every setting the app reads (<see cref="AppSettings"/>: its options classes' properties and the settings it reads by
/// name) is set in local.settings.sample.json and in the infra's app settings, and explained in the README, unless
/// <see cref="AppSettings"/> says why it does not belong there.
/// </summary>
public sealed partial class SettingsTests
{
    private static readonly IReadOnlyList<string> Settings = AppSettings.All(typeof(FastTrack.DevHost.Program).Assembly);

    [Fact]
    public void The_settings_the_app_reads_include_each_options_class_and_each_setting_read_by_name()
    {
        // One per source, so that the discovery itself is checked, not only its use below.
        Assert.Contains("Auth__IntakeKey", Settings);
        Assert.Contains("Links__SigningKeys__*", Settings);
        Assert.Contains("Triggers__Queues__MaxDequeueCount", Settings);
        Assert.Contains("Events__Transport", Settings);
        Assert.Contains("AzureWebJobsStorage__clientId", Settings);
        Assert.DoesNotContain(Settings, setting => setting.StartsWith("Links__MinimumKeyBytes", StringComparison.Ordinal));
    }

    [Fact]
    public void Local_settings_sample_sets_every_setting_the_app_reads()
    {
        using var sample = JsonDocument.Parse(Repository.Read("local.settings.sample.json"));
        var names = sample.RootElement.GetProperty("Values").EnumerateObject().Select(value => value.Name).ToList();

        AssertEachIn(names, AppSettings.NotInLocalSettings, "local.settings.sample.json (Values)");
    }

    [Fact]
    public void The_infra_sets_every_setting_the_app_reads_in_Azure()
    {
        AssertEachIn(InfraAppSettings(), AppSettings.NotInAzure, "infra/app/resources.bicep (app settings)");
    }

    [Fact]
    public void The_README_configuration_table_explains_every_setting()
    {
        var readme = Repository.Read("README.md");
        var start = readme.IndexOf("\n## Configuration", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no Configuration section.");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? readme[start..] : readme[start..end];
        var table = ConfigurationNames().Matches(section).Select(name => name.Groups["name"].Value).ToList();

        AssertEachIn(table, new Dictionary<string, string>(), "README.md (Configuration table)");
    }

    [Fact]
    public void Every_exception_names_a_setting_the_app_reads()
    {
        var stale = AppSettings.NotInLocalSettings.Keys.Concat(AppSettings.NotInAzure.Keys)
            .Where(pattern => !Settings.Any(setting => AppSettings.Matches(pattern, setting)));

        Assert.Empty(stale);
    }

    /// <summary>The names between the "app settings: begin/end" lines of the Function App's Bicep.</summary>
    private static List<string> InfraAppSettings()
    {
        var bicep = Repository.Read("infra/app/resources.bicep");
        var begin = bicep.IndexOf("// app settings: begin", StringComparison.Ordinal);
        var end = bicep.IndexOf("// app settings: end", StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "resources.bicep lost its 'app settings: begin/end' lines.");
        return BicepPropertyNames().Matches(bicep[begin..end]).Select(match => match.Groups["name"].Value).ToList();
    }

    private static void AssertEachIn(IReadOnlyCollection<string> names, IReadOnlyDictionary<string, string> exceptions, string where)
    {
        var missing = Settings
            .Where(setting => !exceptions.Keys.Any(pattern => AppSettings.Matches(pattern, setting)))
            .Where(setting => !names.Any(name => AppSettings.Matches(setting, name)))
            .ToList();

        Assert.True(
            missing.Count == 0,
            $"Missing from {where}: {string.Join(", ", missing)}. Add each there" + (exceptions.Count == 0
                ? "."
                : ", or, if it does not belong there, to the matching exception list in " +
                  "src/FastTrack.Functions/Hosting/AppSettings.cs with the reason."));
    }

    [GeneratedRegex(@"^\s*'?(?<name>[A-Za-z][A-Za-z0-9_\-]*)'?\s*:", RegexOptions.Multiline)]
    private static partial Regex BicepPropertyNames();

    /// <summary>Setting names in the first cell of a table row, <c>| `A`, `B` |</c>; a map's key is written <c>&lt;keyId&gt;</c>.</summary>
    [GeneratedRegex(@"(?<=^\|[^|\n]*)`(?<name>[A-Za-z][A-Za-z0-9_\-]*(?:__<[^>]+>)?)`", RegexOptions.Multiline)]
    private static partial Regex ConfigurationNames();
}
