using System.Text.Json.Nodes;
using FastTrack.Functions.Tests.Infrastructure;
using FastTrack.Functions.Tests.Triggers;
using FastTrack.Functions.Triggers;
using FastTrack.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FastTrack.Functions.Tests.Deploy;

[Collection(PackageGroup.Name)]
public sealed class FunctionMetadataTests(PublishedPackage package, AzuriteFixture azurite)
{
    [Fact]
    public async Task The_package_has_an_HTTP_function_for_each_route_and_method_of_the_deployed_app_and_no_other()
    {
        await using var factory = new FastTrackApp(azurite.ConnectionString, LoopOff);
        await using var app = factory.WithWebHostBuilder(builder => builder.UseEnvironment("Production"));

        var mapped = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(endpoint => endpoint.Metadata.GetRequiredMetadata<IHttpMethodMetadata>().HttpMethods
                .Select(method => $"{method} {endpoint.RoutePattern.RawText!.Trim('/')}"));
        var deployed = package.Functions().Values
            .Select(function => function["bindings"]![0]!)
            .Where(trigger => (string?)trigger["type"] == "httpTrigger")
            .SelectMany(trigger => trigger["methods"]!.AsArray()
                .Select(method => $"{((string)method!).ToUpperInvariant()} {(string?)trigger["route"]}"));

        Assert.Equal(mapped.Order(StringComparer.Ordinal), deployed.Order(StringComparer.Ordinal));
        Assert.Contains("GET api/health", deployed);
        Assert.DoesNotContain(deployed, route => route.Contains("_dev", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_package_has_a_function_for_each_declared_trigger_and_no_other()
    {
        await using var factory = new FastTrackApp(azurite.ConnectionString, LoopOff);
        await using var app = factory.WithWebHostBuilder(builder => builder.UseEnvironment("Production"));

        var declared = app.Services.GetServices<ITriggeredFunction>().Select(function => function.Name);
        var deployed = package.Functions()
            .Where(function => (string?)function.Value["bindings"]![0]!["type"] != "httpTrigger")
            .Select(function => function.Key);

        Assert.Equal(declared.Order(StringComparer.Ordinal), deployed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Timer_and_queue_functions_bind_their_declared_schedule_and_queue_in_the_app_storage()
    {
        var functions = package.Functions();

        var sweep = Trigger(functions["ReferralSweep"]);
        var dispatch = Trigger(functions["ReferralDispatch"]);

        Assert.Equal(("timerTrigger", "0 * * * * *"), ((string?)sweep["type"], (string?)sweep["schedule"]));
        Assert.Equal(("queueTrigger", "referral-dispatch", "AzureWebJobsStorage"),
            ((string?)dispatch["type"], (string?)dispatch["queueName"], (string?)dispatch["connection"]));
        Assert.Equal("message", (string?)dispatch["name"]);
    }

    [Fact]
    public void Integration_events_leave_through_a_Service_Bus_output_binding_on_their_dispatching_function()
    {
        var bindings = package.Functions()["IntegrationEventDispatch"]["bindings"]!.AsArray();

        var output = Assert.Single(bindings, binding => (string?)binding!["direction"] == "out")!;
        Assert.Equal(("serviceBus", "events", "referral-events", "ServiceBusConnection"),
            ((string?)output["type"], (string?)output["name"], (string?)output["topicName"], (string?)output["connection"]));
    }

    [Fact]
    public void A_blob_trigger_is_sourced_from_Event_Grid_with_the_blob_name_in_its_path()
    {
        // No blob function is deployed yet, so the generator is given one declared the way the app declares its own.
        var empty = WebApplication.CreateBuilder().Build();
        var drop = new RecordingFunction("RedemptionDrop", new BlobTrigger("redemptions-inbox"));

        var metadata = FunctionMetadata.Generate(empty, [drop]);

        var trigger = Trigger(Assert.Single(metadata).Value);
        Assert.Equal(("blobTrigger", "blob", "redemptions-inbox/{name}", "EventGrid", "AzureWebJobsStorage"),
            ((string?)trigger["type"], (string?)trigger["name"], (string?)trigger["path"], (string?)trigger["source"],
                (string?)trigger["connection"]));
    }

    [Fact]
    public void Two_functions_of_one_name_are_refused()
    {
        var empty = WebApplication.CreateBuilder().Build();

        var twice = () => FunctionMetadata.Generate(
            empty, [new RecordingFunction("Sweep", new TimerTrigger("0 * * * * *")), new RecordingFunction("sweep", new QueueTrigger("q"))]);

        Assert.Throws<InvalidOperationException>(twice);
    }

    // The app is compared as Azure runs it: Production (no Development routes), no local trigger loop.
    private static readonly Dictionary<string, string?> LoopOff = new() { ["Triggers:RunLocally"] = "false" };

    private static JsonNode Trigger(JsonObject function) => function["bindings"]![0]!;
}
