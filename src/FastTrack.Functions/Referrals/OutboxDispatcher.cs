using FastTrack.Domain.Referrals;
using FastTrack.Functions.Partners;

namespace FastTrack.Functions.Referrals;

/// <summary>
/// Performs a referral's outbox: each effect is claimed (recorded before), performed, then deleted (recorded after).
/// A crash in between leaves the claim to expire and the effect to be done again, so an email may rarely go twice,
/// but no effect is lost and no state change repeats: state changes only ever happen in the workflow's commits.
/// </summary>
public sealed partial class OutboxDispatcher(
    ReferralStore store,
    PendingDispatch pending,
    Deadlines deadlines,
    PartnerStore partners,
    ReferralMailer mailer,
    IntegrationEvents events,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger)
{
    /// <summary>How long a claimed effect is left to its dispatcher before another may take it over.</summary>
    public static readonly TimeSpan ClaimDuration = TimeSpan.FromMinutes(5);

    /// <summary>Performs what is waiting; returns how many effects were done. Throws if any failed, so it is retried.</summary>
    public async Task<int> DispatchAsync(string referralId, CancellationToken cancellationToken)
    {
        var mark = await pending.ReadAsync(referralId, cancellationToken);
        var items = await store.OutboxAsync(referralId, cancellationToken);
        var failures = new List<Exception>();
        var done = 0;
        foreach (var item in items)
        {
            var now = clock.GetUtcNow();
            if (item.ClaimedUntil > now || await store.ClaimAsync(item, now + ClaimDuration, cancellationToken) is not { } claimed)
            {
                continue; // another dispatcher has it
            }

            try
            {
                await PerformAsync(claimed, cancellationToken);
                await store.CompleteAsync(claimed, cancellationToken);
                done++;
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                LogEffectFailed(referralId, claimed.RowKey, claimed.Effect.GetType().Name, claimed.Tries, failure);
                failures.Add(failure);
                await store.ReleaseAsync(claimed, cancellationToken);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException($"Referral {referralId}: {failures.Count} effects failed and stay in the outbox.", failures);
        }

        if (mark is { } version && (await store.OutboxAsync(referralId, cancellationToken)).Count == 0)
        {
            await pending.ClearAsync(referralId, version, cancellationToken);
        }

        return done;
    }

    private async Task PerformAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        switch (item.Effect)
        {
            case ArmTimeout arm:
                await deadlines.ArmAsync(new Deadline(item.ReferralId, arm.PartId, arm.Attempt, arm.DueAt), cancellationToken);
                break;
            case RecordPartnerAssigned assigned:
                await partners.RecordAssignedAsync(assigned.PartnerId, assigned.At, cancellationToken);
                break;
            case RecordCapacityDeclineUsed capacity:
                await partners.RecordCapacityDeclineUsedAsync(capacity.PartnerId, cancellationToken);
                break;
            case PublishEvent published:
                var state = await store.LoadAsync(item.ReferralId, cancellationToken);
                var partnerId = published.PartId is null ? null : state?.State.FindPart(published.PartId)?.PartnerId;
                await events.PublishAsync(
                    IntegrationEvent.ForReferral(item, published, partnerId, clock.GetUtcNow()), cancellationToken);
                break;
            default:
                await mailer.SendAsync(item, cancellationToken);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Referral {ReferralId}: effect {OutboxRow} ({Effect}) failed on try {Tries}; it stays in the outbox")]
    private partial void LogEffectFailed(string referralId, string outboxRow, string effect, int tries, Exception exception);
}
