using FastTrack.Domain.Privacy;
using FastTrack.Functions.Triggers;

namespace FastTrack.Core.Privacy;

/// <summary>Queue <c>privacy-requests</c>: processes one personal data request.</summary>
internal sealed class PrivacyRequestFunction(PrivacyProcessor processor) : ITriggeredFunction
{
    public string Name => "PrivacyRequest";

    public Trigger Trigger { get; } = new QueueTrigger(PrivacyRequests.QueueName);

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var id = PrivacyRequests.Parse(request.QueueMessageText(Trigger));
        await processor.ProcessAsync(id, cancellationToken);
        return InvocationResponse.Done($"Personal data request {id} processed");
    }
}

/// <summary>
/// The backstop, hourly: queues again every open request whose message was lost or poisoned (queued over an hour ago
/// and still open), and warns operations about each request past its 30-day due date.
/// </summary>
internal sealed partial class PrivacySweepFunction(
    PrivacyRequests requests, TimeProvider clock, ILogger<PrivacySweepFunction> logger) : ITriggeredFunction
{
    /// <summary>How long a request may wait after being queued before the sweep queues it again.</summary>
    public static readonly TimeSpan RequeueAfter = TimeSpan.FromHours(1);

    public string Name => "PrivacySweep";

    public Trigger Trigger { get; } = new TimerTrigger("0 0 * * * *");

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var open = await requests.OpenAsync(cancellationToken);
        var requeued = 0;
        foreach (var stored in open)
        {
            if (stored.Request.IsOverdue(now))
            {
                LogOverdue(stored.Request.Id, stored.Request.Kind, stored.Request.DueBy);
            }

            if (stored.QueuedAt is not { } queuedAt || queuedAt <= now - RequeueAfter)
            {
                await requests.EnqueueAsync(stored.Request.Id, now, cancellationToken);
                requeued++;
            }
        }

        return InvocationResponse.Done($"{open.Count} personal data requests open, {requeued} queued again");
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Personal data request {RequestId} ({Kind}) is overdue: it was due by {DueBy}")]
    private partial void LogOverdue(string requestId, PrivacyRequestKind kind, DateTimeOffset dueBy);
}
