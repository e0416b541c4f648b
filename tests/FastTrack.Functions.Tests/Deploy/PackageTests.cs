using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FastTrack.Functions.Tests.Infrastructure;
using FastTrack.Functions.Tests.Triggers;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.Functions.Tests.Deploy;

/// <summary>
/// The published executable, started as the Functions host starts it (only <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> and the
/// app settings set), answers the host's invocation payloads, in the shapes of the custom handler docs, and proxied
/// HTTP requests.
/// </summary>
[Collection(PackageGroup.Name)]
public sealed class PackageTests(PublishedPackage package, AzuriteFixture azurite)
{
    [Fact]
    public async Task A_timer_invocation_runs_the_function_and_answers_outputs_logs_and_return_value()
    {
        using var app = await StartPackageAsync();
        using var host = app.CreateClient();

        var response = await InvokeAsync(host, "Heartbeat", CustomHandlerTests.TimerInvocation);

        await CustomHandlerTests.AssertHeartbeatRanAsync(response, host);
    }

    [Fact]
    public async Task A_queue_invocation_gets_the_message_text_by_its_binding_name()
    {
        using var app = await StartPackageAsync();
        using var host = app.CreateClient();

        var response = await InvokeAsync(host, "ReferralDispatch", QueueInvocation("""{"id":"no-such-referral"}"""));

        Assert.Equal("Referral no-such-referral: 0 effects performed", response.GetProperty("Logs")[0].GetString());
    }

    [Fact]
    public async Task An_integration_event_is_answered_as_the_Service_Bus_output_for_the_host_to_send()
    {
        using var app = await StartPackageAsync();
        using var host = app.CreateClient();
        const string Event = """{"id":"r1:outbox-000001","type":"referral.accepted","subject":"referrals/r1","occurredAt":"2026-11-21T10:00:00Z","referralId":"r1"}""";

        var response = await InvokeAsync(host, "IntegrationEventDispatch", QueueInvocation(Event));

        Assert.Equal(Event, response.GetProperty("Outputs").GetProperty("events").GetString());
    }

    [Fact]
    public async Task A_failed_invocation_answers_500_so_the_host_retries_the_message()
    {
        using var app = await StartPackageAsync();
        using var host = app.CreateClient();

        var response = await host.PostAsync(
            new Uri("/ReferralDispatch", UriKind.Relative),
            new StringContent(QueueInvocation("not a dispatch request"), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task A_proxied_HTTP_request_reaches_the_route_with_its_key_and_Development_routes_are_absent()
    {
        using var app = await StartPackageAsync();
        using var operations = app.CreateClient(FastTrackApp.OperationsKey);

        var functions = await operations.GetFromJsonAsync<JsonElement>(new Uri("/api/functions", UriKind.Relative));
        var mailbox = await operations.GetAsync(new Uri("/api/_dev/mailbox", UriKind.Relative));

        Assert.Contains(functions.EnumerateArray(), function => function.GetProperty("name").GetString() == "ReferralSweep");
        Assert.Equal(HttpStatusCode.NotFound, mailbox.StatusCode);
    }

    private Task<AppProcess> StartPackageAsync() =>
        AppProcess.StartAsync(azurite.ConnectionString, asCustomHandler: true, executable: package.Executable);

    /// <summary>The docs' queue trigger payload: the message text under the binding name, and the message's metadata.</summary>
    private static string QueueInvocation(string messageText) => JsonSerializer.Serialize(new
    {
        Data = new { message = messageText },
        Metadata = new
        {
            DequeueCount = 1,
            ExpirationTime = "2026-11-28T10:00:00+00:00",
            Id = "fd6b6c4f-2131-4325-8d9a-fdf6bb5ee8a7",
            InsertionTime = "2026-11-21T10:00:00+00:00",
            NextVisibleTime = "2026-11-21T10:10:00+00:00",
            PopReceipt = "AgAAAAMAAAAAAAAAAgtnj8x+1QE=",
            sys = new { MethodName = "QueueTrigger", UtcNow = "2026-11-21T10:00:01Z", RandGuid = "24ad4c06-24ad-4e5b-8294-3da9714877e9" },
        },
    });

    private static async Task<JsonElement> InvokeAsync(HttpClient host, string function, string payload)
    {
        var response = await host.PostAsync(
            new Uri($"/{function}", UriKind.Relative), new StringContent(payload, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
