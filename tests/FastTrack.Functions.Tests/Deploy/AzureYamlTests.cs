using System.Text.RegularExpressions;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.Functions.Tests.Deploy;

/// <summary>
/// <c>azure.yaml</c> deploys one service the standard way (azd builds and publishes the isolated-worker project), and its
/// hooks do what Bicep cannot: the secrets, and the Event Grid subscription of the blob-triggered function.
/// </summary>
public sealed partial class AzureYamlTests
{
    private static readonly string AzureYaml = Repository.Read("azure.yaml");

    [Fact]
    public void Azure_yaml_has_one_service_the_dotnet_Functions_project_deployed_as_a_function_app()
    {
        var services = Services(AzureYaml);

        var (name, properties) = Assert.Single(services);
        Assert.Equal("api", name);
        Assert.Equal("src/FastTrack.Functions", properties.GetValueOrDefault("project")?.TrimEnd('/'));
        Assert.Equal("dotnet", properties.GetValueOrDefault("language"));
        Assert.Equal("function", properties.GetValueOrDefault("host"));
        Assert.True(File.Exists(Repository.PathOf("src/FastTrack.Functions/FastTrack.Functions.csproj")));
        // azd's own build and publish: no package folder of ours, no packaging hook.
        Assert.False(properties.ContainsKey("dist"), "azure.yaml: service api has a dist folder");
        Assert.DoesNotContain("prepackage", AzureYaml, StringComparison.Ordinal);
    }

    [Fact]
    public void The_azd_hooks_azure_yaml_names_exist_and_are_executable()
    {
        var hooks = HookScripts().Matches(AzureYaml).Select(match => match.Groups["path"].Value).ToList();

        Assert.Equal(["scripts/azd/postprovision.sh", "scripts/azd/postdeploy.sh"], hooks);
        Assert.All(hooks, hook => Assert.True(
            OperatingSystem.IsWindows() || File.GetUnixFileMode(Repository.PathOf(hook)).HasFlag(UnixFileMode.UserExecute),
            $"{hook} is not executable"));
    }

    [Fact]
    public void The_postdeploy_hook_subscribes_RedemptionDrop_through_the_blobs_extension_webhook()
    {
        var hook = Repository.Read("scripts/azd/postdeploy.sh");
        var resources = Repository.Read("infra/app/resources.bicep");

        Assert.Contains("function=RedemptionDrop", hook, StringComparison.Ordinal);
        Assert.Contains("systemKeys.blobs_extension", hook, StringComparison.Ordinal);
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.$function&code=$key", hook, StringComparison.Ordinal);
        Assert.Contains("--included-event-types Microsoft.Storage.BlobCreated", hook, StringComparison.Ordinal);
        // The container comes from the provisioned template's output, which names the blob trigger's container.
        Assert.Contains("${AZURE_REDEMPTIONS_INBOX_CONTAINER_NAME:?", hook, StringComparison.Ordinal);
        Assert.Contains("var redemptionsInboxContainerName = 'redemptions-inbox'", resources, StringComparison.Ordinal);
        Assert.Contains("output AZURE_REDEMPTIONS_INBOX_CONTAINER_NAME string", Repository.Read("infra/main.bicep"), StringComparison.Ordinal);
    }

    /// <summary>
    /// The services of an azure.yaml: each name under the top-level <c>services:</c> with its scalar properties. Enough
    /// YAML for this file (block mappings, comments), not a general parser.
    /// </summary>
    private static Dictionary<string, Dictionary<string, string>> Services(string yaml)
    {
        var services = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        Dictionary<string, string>? service = null;
        var inServices = false;
        foreach (var raw in yaml.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith('#') || line.Trim().Length == 0)
            {
                continue;
            }

            var indent = line.Length - line.TrimStart().Length;
            var entry = Entry().Match(line.Trim());
            if (indent == 0)
            {
                inServices = entry.Success && entry.Groups["key"].Value == "services";
            }
            else if (inServices && indent == 2 && entry.Success)
            {
                services[entry.Groups["key"].Value] = service = new Dictionary<string, string>(StringComparer.Ordinal);
            }
            else if (inServices && indent == 4 && entry.Success && service is not null)
            {
                service[entry.Groups["key"].Value] = entry.Groups["value"].Value.Trim().Trim('"', '\'');
            }
        }

        return services;
    }

    [GeneratedRegex(@"^(?<key>[A-Za-z0-9_-]+):(?<value>[^#]*)")]
    private static partial Regex Entry();

    [GeneratedRegex(@"^\s+run:\s*(?<path>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex HookScripts();
}
