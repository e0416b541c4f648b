using FastTrack.Domain.Referrals;

namespace FastTrack.Core.Referrals;

/// <summary>
/// The referral workflow's queue and timer functions: <c>referral-dispatch</c> performs one referral's outbox,
/// <c>referral-timers</c> brings an assignment's SLA deadline, and the sweep, every minute, times out every part whose
/// deadline has passed on the app's clock and re-requests dispatch for outboxes that waited too long.
/// </summary>
public sealed partial class ReferralTriggers(
    OutboxDispatcher dispatcher,
    Deadlines deadlines,
    PendingDispatch pending,
    DispatchRequests dispatch,
    ReferralWorkflow workflow,
    TimeProvider clock,
    ILogger<ReferralTriggers> logger)
{
    public const string DispatchFunctionName = "ReferralDispatch";
    public const string DeadlineFunctionName = "ReferralDeadline";
    public const string SweepFunctionName = "ReferralSweep";

    /// <summary>The setting the sweep's schedule is read from; every minute when unset.</summary>
    public const string SweepScheduleSetting = "Referrals:SweepSchedule";

    public const string SweepSchedule = "0 * * * * *";

    public Task<int> OnDispatchMessageAsync(string message, CancellationToken cancellationToken) =>
        dispatcher.DispatchAsync(DispatchRequests.Parse(message).Id, cancellationToken);

    public async Task OnDeadlineMessageAsync(string message, CancellationToken cancellationToken)
    {
        var deadline = Deadlines.Parse(message);
        if (clock.GetUtcNow() < deadline.DueAt)
        {
            await deadlines.SendTimerAsync(deadline, cancellationToken);
            return;
        }

        await TimeOutAsync(deadline, cancellationToken);
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var deadline in await deadlines.DueAsync(now, cancellationToken))
        {
            var outcome = await TimeOutAsync(deadline, cancellationToken);
            LogOverdue(deadline.ReferralId, deadline.PartId, deadline.Attempt, outcome);
        }

        await pending.RedispatchStrandedAsync(dispatch, now, cancellationToken);
    }

    /// <summary>Times the part out; the deadline is forgotten unless the decider found it early.</summary>
    private async Task<DecisionOutcome?> TimeOutAsync(Deadline deadline, CancellationToken cancellationToken)
    {
        var decision = await workflow.ExecuteAsync(
            deadline.ReferralId, new TimeOut(deadline.PartId, deadline.Attempt), cancellationToken);
        if (decision?.Outcome != DecisionOutcome.NotYetDue)
        {
            await deadlines.DisarmAsync(deadline, cancellationToken);
        }

        return decision?.Outcome;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Referral {ReferralId} part {PartId} attempt {Attempt}: deadline passed → {Outcome}")]
    private partial void LogOverdue(string referralId, string partId, int attempt, DecisionOutcome? outcome);
}
