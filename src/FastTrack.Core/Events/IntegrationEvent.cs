using System.Text.Json;
using FastTrack.Core.Outbox;
using FastTrack.Domain.Referrals;

namespace FastTrack.Core.Events;

/// <summary>
/// An integration event (README "Integration events"). <see cref="Id"/> stays the same when an event is sent again,
/// so consumers drop duplicates by it. <see cref="Type"/> is <c>{subject kind}.{what happened}</c>
/// (<c>referral.accepted</c>, <c>voucher.issued</c>); <see cref="Subject"/> is the path of what it is about
/// (<c>referrals/{id}</c>, <c>vouchers/{id}</c>); the other fields are null where they do not apply.
/// </summary>
public sealed record IntegrationEvent(
    string Id,
    string Type,
    string Subject,
    DateTimeOffset OccurredAt,
    string? ReferralId = null,
    string? PartId = null,
    string? PartnerId = null,
    ReferralStatus? ReferralStatus = null,
    string? VoucherId = null)
{
    /// <summary>The event a referral's outbox row publishes; its id is the row's, so a redone row repeats it.</summary>
    public static IntegrationEvent ForReferral(
        OutboxItem<ReferralEffect> item, PublishEvent published, string? partnerId, DateTimeOffset occurredAt)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(published);
        return new(
            $"{item.PartitionKey}:{item.RowKey}",
            $"referral.{JsonNamingPolicy.KebabCaseLower.ConvertName(published.Kind.ToString())}",
            $"referrals/{item.PartitionKey}",
            occurredAt,
            item.PartitionKey,
            published.PartId,
            partnerId,
            published.ReferralStatus);
    }
}
