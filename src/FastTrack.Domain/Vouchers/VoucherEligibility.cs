using FastTrack.Domain.Catalog;
using FastTrack.Domain.Partners;

namespace FastTrack.Domain.Vouchers;

/// <summary>One broken rule, with a stable code for clients and a sentence for people.</summary>
public sealed record RuleViolation(string Code, string Message);

/// <summary>
/// The customer's licence and usage figures for the Customer Success Offer. Monthly active usage is a fraction
/// (0.45 = 45 %); a workload without a figure is not counted as low usage.
/// </summary>
public sealed record VoucherCustomer(
    string Tpid,
    string TenantId,
    Segment Segment,
    int PaidEligibleSeats,
    int UnusedEligibleSeats,
    IReadOnlyDictionary<Workload, double> MonthlyActiveUsage);

/// <summary>
/// A partner's intention to use the offer with a referred customer. <paramref name="ReferralNotifiedAt"/> is when
/// this partner was sent the referral; null when it never was.
/// </summary>
public sealed record Nomination(
    VoucherCustomer Customer,
    PartnerProfile Partner,
    DateTimeOffset? ReferralNotifiedAt,
    bool TpidAlreadyHasVoucher);

/// <summary>SPEC §9 customer and partner eligibility. Every failing rule is reported, not just the first.</summary>
public static class VoucherEligibility
{
    public static IReadOnlyList<RuleViolation> Check(Nomination nomination, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(nomination);
        var customer = nomination.Customer;
        var violations = new List<RuleViolation>();
        if (customer.Segment is not (Segment.Commercial or Segment.Government))
        {
            violations.Add(new("SegmentNotEligible", $"The offer is for Commercial and Government customers, never {customer.Segment}."));
        }

        if (customer.PaidEligibleSeats < ProgramRules.Tier1MinimumSeats)
        {
            violations.Add(new("TooFewSeats", $"The customer needs at least {ProgramRules.Tier1MinimumSeats} purchased ME3 / Office 365 E1/E3/E5 seats; it has {customer.PaidEligibleSeats}."));
        }

        var lowUsage = ProgramRules.VoucherWorkloads
            .Count(w => customer.MonthlyActiveUsage.TryGetValue(w, out var usage) && usage < ProgramRules.LowUsageThreshold);
        if (lowUsage < ProgramRules.LowUsageWorkloadsRequired)
        {
            violations.Add(new("UsageNotLow", $"Monthly active usage must be below {ProgramRules.LowUsageThreshold * 100:0}% on at least {ProgramRules.LowUsageWorkloadsRequired} of Exchange Online, SharePoint Online, Teams and Microsoft 365 Apps; it is on {lowUsage}."));
        }

        if (nomination.TpidAlreadyHasVoucher)
        {
            violations.Add(new("TpidAlreadyHasVoucher", $"A voucher was already issued for TPID {customer.Tpid}; there is one per TPID, ever."));
        }

        if (!nomination.Partner.Frp)
        {
            violations.Add(new("PartnerNotFrp", $"Partner {nomination.Partner.Id} is not a FastTrack Ready Partner."));
        }

        if (nomination.ReferralNotifiedAt is not { } notifiedAt)
        {
            violations.Add(new("PartnerNotOnReferral", $"Partner {nomination.Partner.Id} was never sent this referral."));
        }
        else if (DaysBetween(notifiedAt, now) > ProgramRules.IntentionWindowDays)
        {
            violations.Add(new("IntentionTooLate", $"The intention must be registered within {ProgramRules.IntentionWindowDays} days of the referral notification ({DateOnly.FromDateTime(notifiedAt.UtcDateTime):yyyy-MM-dd})."));
        }

        return violations;
    }

    /// <summary>Calendar days in UTC: notified on day 0, day 30 is still in time, day 31 is not.</summary>
    private static int DaysBetween(DateTimeOffset from, DateTimeOffset to) =>
        DateOnly.FromDateTime(to.UtcDateTime).DayNumber - DateOnly.FromDateTime(from.UtcDateTime).DayNumber;
}
