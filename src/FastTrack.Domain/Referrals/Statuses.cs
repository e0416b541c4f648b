namespace FastTrack.Domain.Referrals;

/// <summary>The state of one assignment part (API.md).</summary>
public enum PartStatus
{
    /// <summary>Waiting for the partner to accept or decline before its SLA deadline.</summary>
    Offered,
    Active,
    Completed,

    /// <summary>No partner: escalated to the referral processing team.</summary>
    Unmatched,
}

/// <summary>The referral's status, derived from its parts (API.md).</summary>
public enum ReferralStatus
{
    Matching,
    Offered,
    Active,
    Completed,
    Unmatched,
}

/// <summary>
/// Every part transition the lifecycle allows, as a table. <c>null</c> is "the part does not exist yet".
/// Offered → Offered and Active → Offered are reassignments to the next partner.
/// </summary>
public static class PartTransitions
{
    private static readonly HashSet<(PartStatus? From, PartStatus To)> Allowed =
    [
        (null, PartStatus.Offered),
        (null, PartStatus.Unmatched),
        (PartStatus.Offered, PartStatus.Active),
        (PartStatus.Offered, PartStatus.Offered),
        (PartStatus.Offered, PartStatus.Unmatched),
        (PartStatus.Active, PartStatus.Completed),
        (PartStatus.Active, PartStatus.Offered),
        (PartStatus.Active, PartStatus.Unmatched),
    ];

    public static bool IsValid(PartStatus? from, PartStatus to) => Allowed.Contains((from, to));
}

/// <summary>Thrown when code tries a part transition the table forbids: a bug in the caller, not a business refusal.</summary>
public sealed class InvalidPartTransitionException(string referralId, string partId, PartStatus? from, PartStatus to)
    : InvalidOperationException($"Referral {referralId} part {partId}: {from?.ToString() ?? "(new)"} → {to} is not a valid transition.")
{
    public string ReferralId { get; } = referralId;

    public string PartId { get; } = partId;

    public PartStatus? From { get; } = from;

    public PartStatus To { get; } = to;
}
