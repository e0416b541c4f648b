using System.Globalization;
using System.Text.Json;
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
    /// <summary>
    /// The event effect <paramref name="index"/> of the referral's decision <paramref name="version"/> publishes; its
    /// id names that effect, so published again it is the same event.
    /// </summary>
    public static IntegrationEvent ForReferral(
        string referralId, int version, int index, PublishEvent published, string? partnerId, DateTimeOffset occurredAt)
    {
        ArgumentNullException.ThrowIfNull(published);
        return new(
            string.Create(CultureInfo.InvariantCulture, $"{referralId}:decision-{version:D6}-{index:D2}"),
            $"referral.{JsonNamingPolicy.KebabCaseLower.ConvertName(published.Kind.ToString())}",
            $"referrals/{referralId}",
            occurredAt,
            referralId,
            published.PartId,
            partnerId,
            published.ReferralStatus);
    }
}
