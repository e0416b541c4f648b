using System.Globalization;
using System.Text.Json.Nodes;
using FastTrack.Core.Durable;
using FastTrack.DevHost.Triggers;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.Functions.Tests.FunctionsApp;

/// <summary>
/// The Functions app as azd deploys it (published, with the metadata the Worker SDK writes) declares exactly what the
/// dev host runs: the same HTTP routes, timers, queue and blob functions, orchestrators and activities. The Functions
/// host cannot run here (README "What runs where"), so this is how its wiring is checked.
/// </summary>
public sealed class FunctionsAppTests(PublishedApp app) : IClassFixture<PublishedApp>
{
    [Fact]
    public void The_package_holds_what_the_Functions_host_loads()
    {
        var worker = Json(Path.Combine(app.Output, "worker.config.json"));
        var extensions = JsonNode.Parse(File.ReadAllText(Path.Combine(app.Output, "extensions.json")))!["extensions"]!.AsArray()
            .Select(extension => (string)extension!["name"]!);

        Assert.Equal("dotnet-isolated", (string)worker["description"]!["language"]!);
        Assert.Equal("FastTrack.Functions.dll", (string)worker["description"]!["defaultWorkerPath"]!);
        Assert.True(File.Exists(Path.Combine(app.Output, "FastTrack.Functions.dll")));
        Assert.True(File.Exists(Path.Combine(app.Output, "host.json")));
        // Timers need no entry: the timer trigger is built into the Functions host (Microsoft.Azure.WebJobs.Extensions).
        Assert.Superset(new HashSet<string> { "DurableTask", "AzureStorageBlobs", "AzureStorageQueues" }, extensions.ToHashSet());
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(app.Output, ".azurefunctions"), "Microsoft.Azure.WebJobs.Extensions.DurableTask.dll"));
    }

    [Fact]
    public void Every_route_the_dev_host_serves_in_Production_is_an_anonymous_HTTP_function_of_the_same_name_and_no_other()
    {
        var functions = app.Functions.Where(function => function.TriggerType == "httpTrigger")
            .SelectMany(function => function.Trigger["methods"]!.AsArray().Select(method => (
                Method: ((string)method!).ToUpperInvariant(), Route: function["route"]!, function.Name, Level: function["authLevel"])))
            .ToList();
        var routes = DevHostApp.Routes();

        Assert.Equal(
            routes.Select(route => $"{route.Method} {route.Route}").Order(StringComparer.Ordinal),
            functions.Select(function => $"{function.Method} {function.Route}").Order(StringComparer.Ordinal));
        Assert.All(functions, function => Assert.Equal("Anonymous", function.Level));
        Assert.All(routes.Where(route => route.Name is not null), route => Assert.Equal(
            route.Name,
            functions.Single(function => function.Method == route.Method && function.Route == route.Route).Name));
    }

    [Fact]
    public void Every_timer_queue_and_blob_function_the_dev_host_runs_is_declared_with_the_same_trigger()
    {
        var declared = app.Functions
            .Where(function => function.TriggerType is "timerTrigger" or "queueTrigger" or "blobTrigger")
            .Select(function => function.TriggerType switch
            {
                "timerTrigger" => $"{function.Name}: timer {function["schedule"]}",
                "queueTrigger" => $"{function.Name}: queue {function["queueName"]}",
                _ => $"{function.Name}: blob {function["path"]} from {function["source"]}",
            });
        var local = DevHostApp.LocalTriggers().Select(trigger => trigger switch
        {
            LocalTimerTrigger timer => $"{timer.FunctionName}: timer %{timer.ScheduleSetting}%",
            LocalQueueTrigger queue => $"{queue.FunctionName}: queue {queue.QueueName}",
            LocalBlobTrigger blob => $"{blob.FunctionName}: blob {blob.Container}/{{name}} from EventGrid",
            _ => throw new InvalidOperationException($"Unknown trigger {trigger}"),
        });

        Assert.Equal(local.Order(StringComparer.Ordinal), declared.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_orchestrator_and_activity_the_dev_host_registers_is_a_function_of_the_same_name()
    {
        string[] Named(string trigger) =>
            [.. app.Functions.Where(function => function.TriggerType == trigger).Select(function => function.Name).Order(StringComparer.Ordinal)];

        Assert.Equal(WorkflowTasks.Orchestrators.Select(type => type.Name).Order(StringComparer.Ordinal), Named("orchestrationTrigger"));
        Assert.Equal(WorkflowTasks.Activities.Select(type => type.Name).Order(StringComparer.Ordinal), Named("activityTrigger"));
    }

    [Fact]
    public void Host_json_keeps_the_app_routes_names_the_task_hub_from_a_setting_and_polls_Durable_queues_at_most_10_seconds_apart()
    {
        var host = Json(Repository.PathOf("host.json"));
        var extensions = host["extensions"]!;
        var durable = extensions["durableTask"]!;

        Assert.Equal("2.0", (string)host["version"]!);
        Assert.Equal(string.Empty, (string)extensions["http"]!["routePrefix"]!);
        Assert.Equal("base64", (string)extensions["queues"]!["messageEncoding"]!);
        Assert.Equal("%Durable:TaskHubName%", (string)durable["hubName"]!);
        Assert.Equal("AzureStorage", (string)durable["storageProvider"]!["type"]!);
        Assert.InRange(
            TimeSpan.Parse((string)durable["storageProvider"]!["maxQueuePollingInterval"]!, CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(1),
            TimeSpan.FromSeconds(10));
        Assert.Null(host["customHandler"]);
        Assert.Null(host["extensionBundle"]);
    }

    [Fact]
    public void The_local_settings_sample_runs_the_isolated_worker()
    {
        var sample = Json(Repository.PathOf("local.settings.sample.json"));

        Assert.Equal("dotnet-isolated", (string)sample["Values"]!["FUNCTIONS_WORKER_RUNTIME"]!);
    }

    private static JsonNode Json(string path) => JsonNode.Parse(File.ReadAllText(path))!;
}
