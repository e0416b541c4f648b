using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using Microsoft.Extensions.Configuration;
using FastTrack.DevHost.Hosting;
using Xunit;

namespace FastTrack.DevHost.Tests.Hosting;

public sealed class LocalSettingsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("fasttrack-settings-");

    [Fact]
    public void The_sample_is_read_when_there_is_no_local_copy_and_double_underscores_become_sections()
    {
        Write("local.settings.sample.json", """{ "Values": { "Auth__IntakeKey": "from-sample" } }""");

        var configuration = Load();

        Assert.Equal("from-sample", configuration["Auth:IntakeKey"]);
    }

    [Fact]
    public void A_local_copy_wins_over_the_sample()
    {
        Write("local.settings.sample.json", """{ "Values": { "Auth__IntakeKey": "from-sample" } }""");
        Write("local.settings.json", """{ "Values": { "Auth__IntakeKey": "from-local" } }""");

        Assert.Equal("from-local", Load()["Auth:IntakeKey"]);
    }

    [Fact]
    public void Settings_already_given_win_over_the_file()
    {
        Write("local.settings.json", """{ "Values": { "Auth__IntakeKey": "from-file", "Auth__OperationsKey": "ops" } }""");

        var configuration = Load(new Dictionary<string, string?> { ["Auth:IntakeKey"] = "from-environment" });

        Assert.Equal("from-environment", configuration["Auth:IntakeKey"]);
        Assert.Equal("ops", configuration["Auth:OperationsKey"]);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private void Write(string name, string json) => File.WriteAllText(Path.Combine(_folder.FullName, name), json);

    private ConfigurationManager Load(Dictionary<string, string?>? given = null)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(given ?? []);
        configuration.AddLocalSettings(_folder.FullName);
        return configuration;
    }
}
