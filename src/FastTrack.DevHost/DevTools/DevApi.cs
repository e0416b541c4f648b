using FastTrack.Core.Referrals;
using Microsoft.DurableTask.Client;

namespace FastTrack.DevHost.DevTools;

/// <summary>Development-only routes (404 in any other environment, because they are not mapped).</summary>
public static class DevApi
{
    public static IEndpointRouteBuilder MapDevApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Results.Content(IndexPage, "text/html; charset=utf-8"))
            .ExcludeFromDescription();
        var dev = endpoints.MapGroup("/api/_dev").WithTags("Development").ExcludeFromDescription();
        dev.MapPost("/clock", MoveClockAsync)
            .WithSummary("Moves the app's clock forward: { \"advance\": \"PT49H\" } or { \"now\": \"2026-12-01T00:00:00Z\" }.");
        return endpoints;
    }

    private const string IndexPage = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>FastTrack Functions (Development)</title></head>
        <body>
          <h1>FastTrack Functions</h1>
          <p>Development environment: storage in Azurite, keys from local.settings.sample.json.</p>
          <ul>
            <li><a href="/rfa">Request for Assistance form</a></li>
            <li><a href="/_dev/mailbox">Mailbox</a> (every email sent; JSON at <a href="/api/_dev/mailbox">/api/_dev/mailbox</a>)</li>
            <li><a href="/api/health">Health</a></li>
            <li><a href="/openapi/v1.json">API description (OpenAPI)</a></li>
          </ul>
        </body>
        </html>
        """;

    /// <summary>
    /// Moves the clock, keeps it, and tells every waiting referral workflow: a durable timer runs on real time, so
    /// each checks its deadlines against the moved clock (<see cref="ReferralWorkflow.ClockMovedEvent"/>). Timers of the
    /// timer functions run on this clock already.
    /// </summary>
    private static async Task<IResult> MoveClockAsync(
        ClockChange change, DevelopmentClock clock, DevelopmentClockStore store, DurableTaskClient workflows, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (change.Advance is null == change.Now is null)
        {
            errors["advance"] = ["Give exactly one of advance (an ISO 8601 duration such as PT49H) and now."];
        }
        else if (change.Advance < TimeSpan.Zero)
        {
            errors["advance"] = ["The clock only moves forward."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        if (clock.MoveForward(change.Advance, change.Now) is not { } now)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["now"] = [$"The clock only moves forward; it is already {clock.GetUtcNow():O}."],
            });
        }

        await store.SaveAsync(cancellationToken);
        // Pending too: the Azure Storage provider leaves an instance Pending, though it runs, when the process stopped
        // between its first checkpoint and the instance row's update (the row changes status again only at the end).
        var running = new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending] };
        await foreach (var workflow in workflows.GetAllInstancesAsync(running).WithCancellation(cancellationToken))
        {
            if (workflow.Name == nameof(ReferralWorkflow))
            {
                await workflows.RaiseEventAsync(workflow.InstanceId, ReferralWorkflow.ClockMovedEvent, eventPayload: null, cancellationToken);
            }
        }

        return Results.Ok(new { now });
    }

    /// <summary>The request body; <c>advance</c> is an ISO 8601 duration.</summary>
    public sealed record ClockChange(
        [property: System.Text.Json.Serialization.JsonConverter(typeof(IsoDurationConverter))] TimeSpan? Advance,
        DateTimeOffset? Now);
}
