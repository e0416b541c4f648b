namespace FastTrack.DevHost.DevTools;

/// <summary>Development-only routes (404 in any other environment, because they are not mapped).</summary>
public static class DevApi
{
    public static IEndpointRouteBuilder MapDevApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Results.Content(IndexPage, "text/html; charset=utf-8"))
            .ExcludeFromDescription();
        var dev = endpoints.MapGroup("/api/_dev").WithTags("Development").ExcludeFromDescription();
        dev.MapPost("/clock", MoveClock)
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

    private static IResult MoveClock(ClockChange change, DevelopmentClock clock)
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

        return clock.MoveForward(change.Advance, change.Now) is { } now
            ? Results.Ok(new { now })
            : Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["now"] = [$"The clock only moves forward; it is already {clock.GetUtcNow():O}."],
            });
    }

    /// <summary>The request body; <c>advance</c> is an ISO 8601 duration.</summary>
    public sealed record ClockChange(
        [property: System.Text.Json.Serialization.JsonConverter(typeof(IsoDurationConverter))] TimeSpan? Advance,
        DateTimeOffset? Now);
}
