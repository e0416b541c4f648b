using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;

namespace FastTrack.Domain.Referrals;

/// <summary>What the partner reported when marking the engagement complete (SPEC §6).</summary>
public sealed record Completion(
    bool ValueAddedServicesSold,
    decimal EstimatedValue,
    string Currency,
    string? Notes,
    DateTimeOffset CompletedAt);

/// <summary>
/// One assignment part: some of the referral's workloads, offered to one partner at a time.
/// <see cref="Attempt"/> numbers the assignments of this part: it grows whenever an assignment ends (declined, timed
/// out, escalated), so a link or timer carrying an older attempt is recognised as stale.
/// </summary>
public sealed record AssignmentPart(
    string Id,
    IReadOnlySet<Workload> Workloads,
    PartStatus Status,
    string? PartnerId,
    int Attempt,
    DateTimeOffset? OfferedAt,
    DateTimeOffset? DueAt,
    IReadOnlySet<string> DeclinedOrTimedOut,
    Completion? Completion = null)
{
    /// <summary>Each partner that declined or timed out caused exactly one reassignment.</summary>
    public int Reassignments => DeclinedOrTimedOut.Count;
}

/// <summary>A referral: the RFA as matched (customer, type, workloads, CPOR claims at submission) and its parts.</summary>
public sealed record Referral(string Id, MatchRequest Request, IReadOnlyList<AssignmentPart> Parts)
{
    /// <summary>A referral just received, before matching.</summary>
    public static Referral Received(string id, MatchRequest request) => new(id, request, []);

    public ReferralType Type => Request.Type;

    public ReferralStatus Status =>
        Parts.Count == 0 ? ReferralStatus.Matching
        : Parts.Any(p => p.Status == PartStatus.Offered) ? ReferralStatus.Offered
        : Parts.Any(p => p.Status == PartStatus.Unmatched) ? ReferralStatus.Unmatched
        : Parts.All(p => p.Status == PartStatus.Completed) ? ReferralStatus.Completed
        : ReferralStatus.Active;

    public AssignmentPart? FindPart(string partId) =>
        Parts.FirstOrDefault(p => string.Equals(p.Id, partId, StringComparison.Ordinal));

    /// <summary>
    /// When the partner was sent the part it holds now (the start of its 30-day voucher intention window, SPEC §9);
    /// null when it holds no part of this referral.
    /// </summary>
    public DateTimeOffset? NotifiedAt(string partnerId) =>
        Parts.FirstOrDefault(p => p.Status != PartStatus.Unmatched && string.Equals(p.PartnerId, partnerId, StringComparison.Ordinal))?.OfferedAt;
}
