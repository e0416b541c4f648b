using System.Text.RegularExpressions;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.Functions.Tests.Deploy;

/// <summary>
/// <c>infra/</c> compiles and lints clean with the Bicep CLI, and the compiled template deploys what the isolated-worker
/// app with Durable Functions needs on Flex Consumption: the runtime, identity-only access with exactly the data roles
/// the app uses, no key anywhere, and Microsoft's Durable guidance for the plan.
/// </summary>
public sealed partial class BicepTests
{
    private const string Site = "Microsoft.Web/sites";
    private const string UserAssignedIdentity = "Microsoft.ManagedIdentity/userAssignedIdentities";

    /// <summary>Every role the app's identity needs, by built-in role definition id, and the kind of resource it is granted on.</summary>
    public static TheoryData<string, string, string> IdentityRoles => new()
    {
        { "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Storage Blob Data Owner", "Microsoft.Storage/storageAccounts" },
        { "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Storage Queue Data Contributor", "Microsoft.Storage/storageAccounts" },
        { "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Storage Table Data Contributor", "Microsoft.Storage/storageAccounts" },
        { "4633458b-17de-408a-b874-0445c86b69e6", "Key Vault Secrets User", "Microsoft.KeyVault/vaults" },
        { "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39", "Azure Service Bus Data Sender", "Microsoft.ServiceBus/namespaces" },
        { "3913510d-42f4-4e42-8a64-420c390055eb", "Monitoring Metrics Publisher", "Microsoft.Insights/components" },
    };

    [Fact]
    public async Task The_infra_compiles_with_no_error_or_warning()
    {
        var build = await Bicep.BuildAsync();

        Assert.True(build.ExitCode == 0 && build.Diagnostics.Length == 0, build.ToString());
    }

    [Fact]
    public async Task The_infra_passes_the_Bicep_linter_with_no_warning()
    {
        var lint = await Bicep.LintAsync();

        Assert.True(lint.ExitCode == 0 && lint.Diagnostics.Length == 0, lint.ToString());
    }

    [Fact]
    public async Task The_function_app_runs_the_dotnet_isolated_worker_on_dotnet_10_on_Flex_Consumption()
    {
        var template = await Bicep.CompiledAsync();
        var app = Assert.Single(template.OfType(Site));
        var plan = Assert.Single(template.OfType("Microsoft.Web/serverfarms"));

        Assert.Equal("dotnet-isolated", app.Get("properties.functionAppConfig.runtime.name"));
        Assert.Equal("10.0", app.Get("properties.functionAppConfig.runtime.version"));
        Assert.Equal("FlexConsumption", plan.Get("sku.tier"));
        Assert.Equal("api", Assert.IsType<Dictionary<string, object?>>(app.Get("tags"))["azd-service-name"]);
    }

    [Fact]
    public async Task Nothing_in_the_infra_or_azure_yaml_deploys_a_custom_handler_or_a_self_contained_package()
    {
        var template = await Bicep.CompiledAsync();
        var sources = DeploymentSources().ToList();

        Assert.NotEmpty(sources);
        foreach (var (path, text) in sources.Append(("compiled infra/main.bicep", (await Bicep.BuildAsync()).Output)))
        {
            Assert.False(CustomHandlerTraces().IsMatch(text), $"{path}: {CustomHandlerTraces().Match(text).Value}");
        }

        Assert.All(template.OfType(Site), app => Assert.NotEqual("custom", app.Get("properties.functionAppConfig.runtime.name")));
    }

    [Theory]
    [MemberData(nameof(IdentityRoles))]
    public async Task The_identity_holds_each_role_the_app_needs_on_the_resource_it_uses(string roleId, string role, string resourceType)
    {
        var grants = await IdentityGrantsAsync();

        Assert.True(
            grants.Any(grant => grant.RoleId == roleId && grant.Scope.StartsWith(resourceType + "/", StringComparison.OrdinalIgnoreCase)),
            $"The app's identity is not granted {role} ({roleId}) on a {resourceType}. It holds: {string.Join("; ", grants)}");
    }

    [Fact]
    public async Task The_identity_holds_no_role_beyond_those_the_app_needs()
    {
        var needed = IdentityRoles.Select(row => (string)row[0]).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var extra = (await IdentityGrantsAsync()).Where(grant => !needed.Contains(grant.RoleId));

        Assert.Empty(extra);
    }

    [Fact]
    public async Task Service_Bus_is_sent_to_on_the_events_topic_only()
    {
        var sender = Assert.Single(await IdentityGrantsAsync(), grant => grant.RoleId == "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39");

        Assert.Matches("^Microsoft.ServiceBus/namespaces/.+/topics/.+$", sender.Scope);
        Assert.Contains(
            (await Bicep.CompiledAsync()).OfType("Microsoft.ServiceBus/namespaces/topics"),
            topic => topic.Name.EndsWith("/referral-events", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Storage_Service_Bus_and_Application_Insights_accept_no_keys()
    {
        var template = await Bicep.CompiledAsync();

        Assert.False(Assert.IsType<bool>(Assert.Single(template.OfType("Microsoft.Storage/storageAccounts")).Get("properties.allowSharedKeyAccess")));
        Assert.True(Assert.IsType<bool>(Assert.Single(template.OfType("Microsoft.ServiceBus/namespaces")).Get("properties.disableLocalAuth")));
        Assert.True(Assert.IsType<bool>(Assert.Single(template.OfType("Microsoft.Insights/components")).Get("properties.DisableLocalAuth")));
    }

    [Fact]
    public async Task No_account_key_or_connection_string_with_a_key_appears_in_the_templates()
    {
        var compiled = (await Bicep.BuildAsync()).Output;

        foreach (var (path, text) in DeploymentSources().Append(("compiled infra/main.bicep", compiled)))
        {
            Assert.False(KeyTraces().IsMatch(text), $"{path}: {KeyTraces().Match(text).Value}");
        }

        Assert.Contains("allowSharedKeyAccess", compiled, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_app_reaches_blob_queue_and_table_storage_as_the_identity()
    {
        var template = await Bicep.CompiledAsync();
        var settings = AppSettings(template);
        var storage = "Microsoft.Storage/storageAccounts/" + Assert.Single(template.OfType("Microsoft.Storage/storageAccounts")).Name;

        foreach (var service in new[] { "blob", "queue", "table" })
        {
            var uri = ArmTemplate.Text(settings[$"AzureWebJobsStorage__{service}ServiceUri"]);
            Assert.Contains(storage, uri, StringComparison.Ordinal);
            Assert.EndsWith($".primaryEndpoints.{service}", uri, StringComparison.Ordinal);
        }

        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.True(IsOfIdentity(template, settings["AzureWebJobsStorage__clientId"], "clientId"));
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
    }

    [Fact]
    public async Task Durable_has_an_always_ready_instance()
    {
        var template = await Bicep.CompiledAsync();
        var app = Assert.Single(template.OfType(Site));

        var alwaysReady = Assert.IsType<List<object?>>(app.Get("properties.functionAppConfig.scaleAndConcurrency.alwaysReady"))
            .Cast<Dictionary<string, object?>>();

        Assert.Contains(alwaysReady, group => group["name"] is "durable" && group["instanceCount"] is long count && count >= 1);
    }

    [Fact]
    public async Task The_task_hub_name_is_one_the_Azure_Storage_provider_accepts()
    {
        var hub = AppSettings(await Bicep.CompiledAsync())["Durable__TaskHubName"];

        // Its queues and tables are named after it: 3 to 45 letters and digits, starting with a letter.
        Assert.Matches("^[A-Za-z][A-Za-z0-9]{2,44}$", Assert.IsType<string>(hub));
    }

    [Fact]
    public async Task Every_key_is_a_Key_Vault_reference_read_as_the_identity()
    {
        var template = await Bicep.CompiledAsync();
        var settings = AppSettings(template);
        var app = Assert.Single(template.OfType(Site));

        var secrets = settings.Where(setting =>
            setting.Key.StartsWith("Auth__", StringComparison.Ordinal) || setting.Key.StartsWith("Links__SigningKeys__", StringComparison.Ordinal)).ToList();

        Assert.Equal(4, secrets.Count);
        Assert.All(secrets, secret => Assert.Matches(
            @"^@Microsoft\.KeyVault\(VaultName=[^;]+;SecretName=[a-z0-9-]+\)$", ArmTemplate.Text(secret.Value)));
        Assert.Equal(IdentityId(template), ArmTemplate.Text(app.Get("properties.keyVaultReferenceIdentity")));
    }

    [Fact]
    public async Task Integration_events_go_to_Service_Bus_through_the_SDK_as_the_identity()
    {
        var template = await Bicep.CompiledAsync();
        var settings = AppSettings(template);

        Assert.Equal("ServiceBus", settings["Events__Transport"]);
        Assert.EndsWith(".servicebus.windows.net", ArmTemplate.Text(settings["Events__ServiceBusNamespace"]), StringComparison.Ordinal);
        Assert.True(IsOfIdentity(template, settings["Events__ManagedIdentityClientId"], "clientId"));
        // The host's Service Bus output binding is gone, and with it its connection.
        Assert.DoesNotContain(settings.Keys, name => name.StartsWith("ServiceBusConnection", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Blob_created_events_of_the_storage_account_have_a_system_topic_and_the_inbox_exists()
    {
        var template = await Bicep.CompiledAsync();
        var storage = Assert.Single(template.OfType("Microsoft.Storage/storageAccounts")).Name;

        var topic = Assert.Single(template.OfType("Microsoft.EventGrid/systemTopics"));

        Assert.Equal("Microsoft.Storage.StorageAccounts", topic.Get("properties.topicType"));
        Assert.Equal("Microsoft.Storage/storageAccounts/" + storage, ArmTemplate.Text(topic.Get("properties.source")));
        Assert.Contains(
            template.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"),
            container => container.Name == $"{storage}/default/redemptions-inbox");
    }

    /// <summary>The role assignments whose principal is the function app's user-assigned identity.</summary>
    private static async Task<List<Grant>> IdentityGrantsAsync()
    {
        var template = await Bicep.CompiledAsync();
        return template.OfType("Microsoft.Authorization/roleAssignments")
            .Where(assignment => IsOfIdentity(template, assignment.Get("properties.principalId"), "principalId"))
            .Select(assignment => new Grant(
                RoleDefinition().Match(ArmTemplate.Text(assignment.Get("properties.roleDefinitionId"))).Groups["id"].Value,
                ArmTemplate.Text(assignment.Get("scope"))))
            .ToList();
    }

    /// <summary>The resource id of the one user-assigned identity the function app runs as.</summary>
    private static string IdentityId(ArmTemplate template)
    {
        var app = Assert.Single(template.OfType(Site));
        var identities = Assert.IsType<Dictionary<string, object?>>(app.Get("identity.userAssignedIdentities"));
        var id = Assert.Single(identities.Keys);
        Assert.StartsWith(UserAssignedIdentity + "/", id, StringComparison.Ordinal);
        return id;
    }

    /// <summary>Whether a value is the given property (principalId, clientId) of the app's identity, read at deployment.</summary>
    private static bool IsOfIdentity(ArmTemplate template, object? value, string property) =>
        value is ArmTemplate.Unresolved { Expression: var expression } &&
        expression.StartsWith($"reference({IdentityId(template)},", StringComparison.Ordinal) &&
        expression.EndsWith($").{property}", StringComparison.Ordinal);

    private static Dictionary<string, object?> AppSettings(ArmTemplate template) => Assert.IsType<Dictionary<string, object?>>(
        Assert.Single(template.OfType("Microsoft.Web/sites/config"), config => config.Name.EndsWith("/appsettings", StringComparison.Ordinal))
            .Get("properties"));

    /// <summary>Every file that decides what azd deploys: the Bicep, its parameters, azure.yaml and the azd hooks.</summary>
    private static IEnumerable<(string Path, string Text)> DeploymentSources() =>
        Directory.EnumerateFiles(Repository.PathOf("infra"), "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Repository.PathOf("scripts/azd")))
            .Append(Repository.PathOf("azure.yaml"))
            .Select(path => (Path.GetRelativePath(Repository.Root, path), File.ReadAllText(path)));

    private sealed record Grant(string RoleId, string Scope)
    {
        public override string ToString() => $"{RoleId} on {Scope}";
    }

    [GeneratedRegex(@"roleDefinitions/(?<id>[0-9a-fA-F-]{36})$")]
    private static partial Regex RoleDefinition();

    /// <summary>The custom handler deployment: its host.json section, its runtime, its self-contained publish step.</summary>
    [GeneratedRegex(@"customHandler|FUNCTIONS_CUSTOMHANDLER|name:\s*'custom'|""name"":\s*""custom""|self-contained|SelfContained|publish\.sh|prepackage|dist:", RegexOptions.IgnoreCase)]
    private static partial Regex CustomHandlerTraces();

    /// <summary>
    /// A key or what fetches one: ARM's list* functions (listKeys, listConnectionStrings…), a Storage or Service Bus
    /// connection string with its key, a SAS signature.
    /// </summary>
    [GeneratedRegex(@"\blist[A-Z]\w*\(|listKeys|AccountKey=|SharedAccessKey|SharedAccessSignature|[?&]sig=", RegexOptions.IgnoreCase)]
    private static partial Regex KeyTraces();
}
