using FastTrack.Functions.Auth;

namespace FastTrack.Functions.Triggers;

/// <summary><c>GET /api/functions</c> (operations): the timer, queue and blob functions this app declares.</summary>
public static class FunctionsApi
{
    public static IEndpointRouteBuilder MapFunctionsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/functions", (IEnumerable<ITriggeredFunction> functions) =>
                functions.Select(function => new TriggeredFunctionInfo(function.Name, Describe(function.Trigger))))
            .RequireAuthorization(Roles.Operations)
            .WithName("ListTriggeredFunctions")
            .WithSummary("The non-HTTP functions and what triggers each.");
        return endpoints;
    }

    private static TriggerInfo Describe(Trigger trigger) => trigger switch
    {
        TimerTrigger timer => new TriggerInfo("timer", Schedule: timer.Schedule),
        QueueTrigger queue => new TriggerInfo("queue", QueueName: queue.QueueName),
        BlobTrigger blob => new TriggerInfo("blob", Container: blob.Container),
        _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger, "Unknown trigger kind."),
    };

    public sealed record TriggeredFunctionInfo(string Name, TriggerInfo Trigger);

    public sealed record TriggerInfo(string Kind, string? Schedule = null, string? QueueName = null, string? Container = null);
}
