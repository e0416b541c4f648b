using FastTrack.Domain.Referrals;
using FastTrack.Functions.Triggers;

namespace FastTrack.Core.Referrals;

/// <summary>Queue <c>referral-dispatch</c>: performs the effects waiting in one referral's outbox.</summary>
internal sealed class DispatchFunction(OutboxDispatcher dispatcher) : ITriggeredFunction
{
    public string Name => "ReferralDispatch";

    public Trigger Trigger { get; } = new QueueTrigger(DispatchRequests.QueueName);

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var referralId = DispatchRequests.Parse(request.QueueMessageText(Trigger)).Id;
        var done = await dispatcher.DispatchAsync(referralId, cancellationToken);
        return InvocationResponse.Done($"Referral {referralId}: {done} effects performed");
    }
}

/// <summary>Queue <c>referral-timers</c>: an assignment's SLA deadline came (or a long wait needs re-arming).</summary>
internal sealed class DeadlineFunction(Deadlines deadlines, ReferralWorkflow workflow, TimeProvider clock) : ITriggeredFunction
{
    public string Name => "ReferralDeadline";

    public Trigger Trigger { get; } = new QueueTrigger(Deadlines.QueueName);

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var deadline = Deadlines.Parse(request.QueueMessageText(Trigger));
        if (clock.GetUtcNow() < deadline.DueAt)
        {
            await deadlines.SendTimerAsync(deadline, cancellationToken);
            return InvocationResponse.Done($"Referral {deadline.ReferralId} part {deadline.PartId}: not due yet, re-armed");
        }

        var outcome = await TimeOutAsync(deadlines, workflow, deadline, cancellationToken);
        return InvocationResponse.Done($"Referral {deadline.ReferralId} part {deadline.PartId}: {outcome}");
    }

    /// <summary>Times the part out; the deadline is forgotten unless the decider found it early.</summary>
    public static async Task<DecisionOutcome?> TimeOutAsync(
        Deadlines deadlines, ReferralWorkflow workflow, Deadline deadline, CancellationToken cancellationToken)
    {
        var decision = await workflow.ExecuteAsync(
            deadline.ReferralId, new TimeOut(deadline.PartId, deadline.Attempt), cancellationToken);
        if (decision?.Outcome != DecisionOutcome.NotYetDue)
        {
            await deadlines.DisarmAsync(deadline, cancellationToken);
        }

        return decision?.Outcome;
    }
}

/// <summary>
/// The backstop, every minute: times out every part whose deadline has passed on the app's clock, and re-requests
/// dispatch for referrals whose outbox has waited too long (a crash between commit and dispatch, a poisoned message).
/// </summary>
internal sealed partial class ReferralSweepFunction(
    Deadlines deadlines,
    PendingDispatch pending,
    DispatchRequests dispatch,
    ReferralWorkflow workflow,
    TimeProvider clock,
    ILogger<ReferralSweepFunction> logger) : ITriggeredFunction
{
    public string Name => "ReferralSweep";

    public Trigger Trigger { get; } = new TimerTrigger("0 * * * * *");

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await deadlines.DueAsync(now, cancellationToken);
        foreach (var deadline in due)
        {
            var outcome = await DeadlineFunction.TimeOutAsync(deadlines, workflow, deadline, cancellationToken);
            LogOverdue(deadline.ReferralId, deadline.PartId, deadline.Attempt, outcome);
        }

        var stranded = await pending.RedispatchStrandedAsync(dispatch, now, cancellationToken);
        return InvocationResponse.Done($"{due.Count} deadlines passed, {stranded} outboxes re-dispatched");
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Referral {ReferralId} part {PartId} attempt {Attempt}: deadline passed → {Outcome}")]
    private partial void LogOverdue(string referralId, string partId, int attempt, DecisionOutcome? outcome);
}
