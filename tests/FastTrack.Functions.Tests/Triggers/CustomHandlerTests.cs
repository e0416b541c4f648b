using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FastTrack.Functions.Tests.Infrastructure;
using FastTrack.Functions.Triggers;
using FastTrack.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FastTrack.Functions.Tests.Triggers;

/// <summary>Under the Functions host the app is a custom handler: it listens where told and answers invocations.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class CustomHandlerTests(AzuriteFixture azurite)
{
    // The shape the Functions host posts for a timer trigger (binding "timer"), from the custom handler docs.
    internal const string TimerInvocation = """
        {
          "Data": { "timer": { "Schedule": { "AdjustForDST": true },
                               "ScheduleStatus": { "Last": "2026-11-21T10:00:00Z", "Next": "2026-11-21T10:05:00Z",
                                                   "LastUpdated": "2026-11-21T10:00:00Z" },
                               "IsPastDue": false } },
          "Metadata": { "sys": { "MethodName": "Heartbeat", "UtcNow": "2026-11-21T10:05:00.01Z",
                                 "RandGuid": "0f8fad5b-d9cb-469f-a165-70867728950e" } }
        }
        """;

    [Fact]
    public async Task The_host_invokes_a_timer_function_by_name_and_gets_the_response_payload()
    {
        await using var app = new FastTrackApp(
            azurite.ConnectionString, new Dictionary<string, string?> { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7999" });
        var client = app.CreateClient();

        var response = await client.PostAsync(
            new Uri("/Heartbeat", UriKind.Relative), new StringContent(TimerInvocation, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AssertHeartbeatRanAsync(await response.Content.ReadFromJsonAsync<JsonElement>(), client);
    }

    /// <summary>The answer has the response payload's three keys, and the heartbeat the timer recorded shows in health.</summary>
    internal static async Task AssertHeartbeatRanAsync(JsonElement payload, HttpClient app)
    {
        Assert.Equal(JsonValueKind.Object, payload.GetProperty("Outputs").ValueKind);
        Assert.StartsWith("Heartbeat at ", payload.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.True(payload.TryGetProperty("ReturnValue", out _));
        var health = await app.GetFromJsonAsync<JsonElement>(new Uri("/api/health", UriKind.Relative));
        Assert.Equal(JsonValueKind.String, health.GetProperty("lastHeartbeatAt").ValueKind);
    }

    [Fact]
    public async Task The_host_invokes_a_blob_function_with_the_blob_path_name_and_uri_in_the_metadata()
    {
        var drop = new RecordingFunction("ProbeDrop", new BlobTrigger("probe-inbox"));
        await using var app = new FastTrackApp(
            azurite.ConnectionString,
            new Dictionary<string, string?> { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7999" },
            services => services.AddSingleton<ITriggeredFunction>(drop));

        // An Event Grid-sourced blob trigger's payload: the content under the binding name, the blob in the metadata.
        var response = await app.CreateClient().PostAsync(new Uri("/ProbeDrop", UriKind.Relative), new StringContent("""
            {
              "Data": { "blob": "%PDF-1.7 ..." },
              "Metadata": { "BlobTrigger": "probe-inbox/poe-1.pdf", "name": "poe-1.pdf",
                            "Uri": "https://stfasttrack.blob.core.windows.net/probe-inbox/poe-1.pdf",
                            "Properties": { "ContentType": "application/pdf", "Length": 11 }, "Metadata": {},
                            "sys": { "MethodName": "ProbeDrop", "UtcNow": "2026-11-21T10:05:00Z",
                                     "RandGuid": "3f2a0c1e-8d4b-4b7a-9c2e-5e1f0a6b7c8d" } }
            }
            """, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var invocation = Assert.Single(drop.Invocations);
        Assert.Equal("probe-inbox/poe-1.pdf", invocation.Metadata["BlobTrigger"].GetString());
        Assert.Equal("poe-1.pdf", invocation.Metadata["name"].GetString());
        Assert.EndsWith("/probe-inbox/poe-1.pdf", invocation.Metadata["Uri"].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invocation_without_data_is_400()
    {
        await using var app = new FastTrackApp(
            azurite.ConnectionString, new Dictionary<string, string?> { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7999" });

        var response = await app.CreateClient().PostAsync(
            new Uri("/Heartbeat", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Standalone_the_invocation_routes_are_not_exposed()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);

        var response = await app.CreateClient().PostAsync(
            new Uri("/Heartbeat", UriKind.Relative), new StringContent(TimerInvocation, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_app_process_listens_on_the_port_the_Functions_host_gives_it()
    {
        using var app = await AppProcess.StartAsync(azurite.ConnectionString, asCustomHandler: true);
        using var client = app.CreateClient();

        // BaseAddress is 127.0.0.1 at the port given in FUNCTIONS_CUSTOMHANDLER_PORT, and nothing else was set.
        var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
