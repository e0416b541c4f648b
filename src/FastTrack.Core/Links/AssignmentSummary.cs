using FastTrack.Domain.Catalog;
using FastTrack.Domain.Referrals;

namespace FastTrack.Core.Links;

/// <summary>
/// What a partner sees about the assignment part a link is bound to. No customer contact details: the link page is
/// reachable by anyone holding the link, and the contact is personal data (SPEC §10) sent once the part is accepted.
/// </summary>
public sealed record AssignmentSummary(
    LinkPurpose Purpose,
    string Title,
    ReferralType Type,
    string CustomerName,
    string CustomerCountry,
    Segment CustomerSegment,
    int Seats,
    IReadOnlyCollection<Workload> Workloads,
    PartStatus PartStatus,
    ReferralStatus ReferralStatus,
    DateTimeOffset? DueAt,
    string PartnerTimeZone)
{
    /// <summary>The summary of <paramref name="part"/>; <paramref name="partnerTimeZone"/> is the partner's IANA zone, in which the SLA counts.</summary>
    public static AssignmentSummary For(LinkPurpose purpose, Referral referral, AssignmentPart part, string partnerTimeZone)
    {
        ArgumentNullException.ThrowIfNull(referral);
        ArgumentNullException.ThrowIfNull(part);
        var customer = referral.Request.Customer;
        var kind = referral.Type == ReferralType.Benefit ? "FastTrack Benefit referral" : "FastTrack referral";
        return new AssignmentSummary(
            purpose,
            $"{kind}: {customer.Name}",
            referral.Type,
            customer.Name,
            customer.Country,
            customer.Segment,
            customer.Seats,
            part.Workloads.Order().ToList(),
            part.Status,
            referral.Status,
            part.DueAt,
            partnerTimeZone);
    }
}
