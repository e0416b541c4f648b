using FastTrack.Domain.Catalog;

namespace FastTrack.Domain.Matching;

/// <summary>The customer as the RFA describes it (SPEC §4). Country upper case, language lower case.</summary>
public sealed record Customer(
    string TenantId,
    string Tpid,
    string Name,
    string Country,
    string Language,
    Segment Segment,
    int Seats);

/// <summary>
/// What matching needs to know about one RFA: the customer, the referral type, the requested workloads, and the
/// customer's approved CPOR claims (partner id → claimed workloads on this customer).
/// </summary>
public sealed record MatchRequest(
    Customer Customer,
    ReferralType Type,
    IReadOnlySet<Workload> Workloads,
    IReadOnlyDictionary<string, IReadOnlySet<Workload>> Claims)
{
    /// <summary>How many workloads the partner claims on this customer; 0 means no existing relationship.</summary>
    public int ClaimedWorkloads(string partnerId) =>
        Claims.Count > 0 && Claims.TryGetValue(partnerId, out var claimed) ? claimed.Count : 0;
}
