using System.Text.Json.Nodes;
using FastTrack.Core.Http;
using FastTrack.Domain.Referrals;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.DevHost.Tests.Hosting;

[Collection(AzuriteGroup.Name)]
public sealed class OpenApiDescriptionTests(AzuriteFixture azurite)
{
    private const string File = "src/FastTrack.Core/Http/openapi.v1.json";

    /// <summary>
    /// The Functions app has no OpenAPI generator: it serves the copy built into the core. This keeps the copy equal to
    /// what the dev host generates from its routes; when they differ it rewrites the file, so the failure tells a
    /// developer to rebuild and commit it, and CI fails on a stale copy.
    /// </summary>
    [Fact]
    public async Task The_description_built_into_the_core_is_the_one_the_dev_host_generates()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString, new Dictionary<string, string?> { ["Triggers:RunLocally"] = "false" });

        var generated = JsonNode.Parse(await app.CreateClient().GetStringAsync(new Uri("/" + OpenApiDescription.DescriptionRoute, UriKind.Relative)))!;
        using var builtIn = new StreamReader(typeof(OpenApiDescription).Assembly.GetManifestResourceStream(OpenApiDescription.ResourceName)!);

        if (!JsonNode.DeepEquals(generated, JsonNode.Parse(await builtIn.ReadToEndAsync())))
        {
            await System.IO.File.WriteAllTextAsync(Repository.PathOf(File), generated.ToJsonString(new() { WriteIndented = true }) + "\n");
            Assert.Fail($"{File} differed from the description the dev host generates and has been rewritten: rebuild and commit it.");
        }
    }

    [Fact]
    public async Task The_description_has_every_route_and_names_no_server()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString, new Dictionary<string, string?> { ["Triggers:RunLocally"] = "false" });

        var document = JsonNode.Parse(await app.CreateClient().GetStringAsync(new Uri("/" + OpenApiDescription.DescriptionRoute, UriKind.Relative)))!;

        Assert.Null(document["servers"]);
        Assert.Equal("FastTrack Functions", document["info"]!["title"]!.GetValue<string>());
        Assert.Contains("/api/referrals/{id}", document["paths"]!.AsObject().Select(path => path.Key));
    }

    [Fact]
    public async Task The_lists_describe_the_query_parameters_their_handlers_read_with_their_types()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString, new Dictionary<string, string?> { ["Triggers:RunLocally"] = "false" });

        var paths = JsonNode.Parse(await app.CreateClient().GetStringAsync(new Uri("/" + OpenApiDescription.DescriptionRoute, UriKind.Relative)))!["paths"]!;
        var referrals = Parameters(paths, "/api/referrals");
        var partners = Parameters(paths, "/api/partners");

        Assert.Equal(["status", "partnerId", "overdue", "createdFrom", "createdTo", "pageSize", "continuationToken"], referrals.Keys);
        Assert.Equal(["pageSize", "continuationToken"], partners.Keys);
        Assert.All(referrals.Values.Concat(partners.Values), parameter => Assert.Equal("query", (string)parameter["in"]!));
        Assert.Equal(Enum.GetNames<ReferralStatus>(), referrals["status"]["schema"]!["enum"]!.AsArray().Select(name => (string)name!));
        Assert.Equal("boolean", (string)referrals["overdue"]["schema"]!["type"]!);
        Assert.Equal(("string", "date-time"), ((string)referrals["createdTo"]["schema"]!["type"]!, (string)referrals["createdTo"]["schema"]!["format"]!));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"type":"integer","format":"int32","minimum":1,"maximum":100}"""), partners["pageSize"]["schema"]));
    }

    private static Dictionary<string, JsonNode> Parameters(JsonNode paths, string path) =>
        paths[path]!["get"]!["parameters"]!.AsArray().ToDictionary(parameter => (string)parameter!["name"]!, parameter => parameter!);
}
