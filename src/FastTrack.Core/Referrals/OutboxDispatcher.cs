using FastTrack.Domain.Referrals;
using FastTrack.Core.Events;
using FastTrack.Core.Outbox;
using FastTrack.Core.Partners;

namespace FastTrack.Core.Referrals;

/// <summary>
/// Performs a referral's outbox through the <see cref="OutboxRunner"/> (claim, perform, delete): a crash in between
/// leaves the claim to expire and the effect to be done again, so an email may rarely go twice, but no effect is lost
/// and no state change repeats: state changes only ever happen in the workflow's commits.
/// </summary>
public sealed class OutboxDispatcher(
    ReferralStore store,
    PendingDispatch pending,
    Deadlines deadlines,
    PartnerStore partners,
    ReferralMailer mailer,
    IntegrationEvents events,
    OutboxRunner runner,
    TimeProvider clock)
{
    /// <summary>Performs what is waiting; returns how many effects were done. Throws if any failed, so it is retried.</summary>
    public Task<int> DispatchAsync(string referralId, CancellationToken cancellationToken) =>
        runner.RunAsync(referralId, store.Outbox, pending, PerformAsync, cancellationToken);

    private async Task PerformAsync(OutboxItem<ReferralEffect> item, CancellationToken cancellationToken)
    {
        switch (item.Effect)
        {
            case ArmTimeout arm:
                await deadlines.ArmAsync(new Deadline(item.PartitionKey, arm.PartId, arm.Attempt, arm.DueAt), cancellationToken);
                break;
            case RecordPartnerAssigned assigned:
                await partners.RecordAssignedAsync(assigned.PartnerId, assigned.At, cancellationToken);
                break;
            case RecordCapacityDeclineUsed capacity:
                await partners.RecordCapacityDeclineUsedAsync(capacity.PartnerId, cancellationToken);
                break;
            case PublishEvent published:
                var state = await store.LoadAsync(item.PartitionKey, cancellationToken);
                var partnerId = published.PartId is null ? null : state?.State.FindPart(published.PartId)?.PartnerId;
                await events.PublishAsync(
                    IntegrationEvent.ForReferral(item, published, partnerId, clock.GetUtcNow()), cancellationToken);
                break;
            default:
                await mailer.SendAsync(item, cancellationToken);
                break;
        }
    }
}
