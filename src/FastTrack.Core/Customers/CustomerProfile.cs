using FastTrack.Domain.Catalog;
using FastTrack.Domain.Vouchers;

namespace FastTrack.Core.Customers;

/// <summary>
/// A customer tenant as operations imports it: who it is, its licences and usage (for vouchers, SPEC §9) and the
/// partners holding an approved CPOR claim on it (for matching, SPEC §5 rule 2). Country upper case, language lower.
/// </summary>
public sealed record CustomerProfile(
    string TenantId,
    string Tpid,
    string Name,
    string Country,
    string Language,
    Segment Segment,
    int Seats,
    CustomerLicenses Licenses,
    IReadOnlyDictionary<Workload, double> MonthlyActiveUsage,
    IReadOnlyList<CporClaim> Claims)
{
    /// <summary>Partner id → claimed workloads on this customer, as the matcher's <c>MatchRequest.Claims</c> takes them.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<Workload>> ClaimsByPartner() =>
        Claims.ToDictionary(claim => claim.PartnerId, claim => claim.Workloads, StringComparer.Ordinal);

    /// <summary>The figures the Customer Success Offer's eligibility rules read.</summary>
    public VoucherCustomer ToVoucherCustomer() => new(
        Tpid, TenantId, Segment, Licenses.PaidEligibleSeats, Licenses.UnusedEligibleSeats, MonthlyActiveUsage);
}

/// <summary>
/// Purchased ME3 / Office 365 E1/E3/E5 seats, and how many of them are not in use (the voucher's user cap, SPEC §9).
/// </summary>
public sealed record CustomerLicenses(int PaidEligibleSeats, int UnusedEligibleSeats)
{
    /// <summary>What an import without licence figures records: nothing paid, so no voucher.</summary>
    public static readonly CustomerLicenses None = new(0, 0);
}

/// <summary>An approved CPOR claim: the partner's existing relationship with the customer for these workloads.</summary>
public sealed record CporClaim(string PartnerId, IReadOnlySet<Workload> Workloads);
