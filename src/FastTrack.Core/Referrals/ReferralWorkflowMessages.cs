using FastTrack.Domain.Referrals;

namespace FastTrack.Core.Referrals;

// What the referral workflow passes to and from Durable Task: ids, versions, statuses and deadlines, never personal
// data (the task hub keeps them, and an erasure does not reach it: SPEC §10).

/// <summary>
/// The input of a <see cref="ReferralWorkflow"/>. <paramref name="FollowsAppClock"/>: on the dev host, deadlines are
/// also checked whenever the development clock moves. <paramref name="PerformedUpTo"/>: the last decision whose effects
/// were performed (0 for a new referral; carried over when the workflow continues as new).
/// </summary>
public sealed record ReferralWorkflowInput(string ReferralId, bool FollowsAppClock, int PerformedUpTo = 0);

/// <summary>What a <see cref="AdvanceReferral"/> step decides before it performs the effects due.</summary>
public enum ReferralStepKind
{
    /// <summary>Match the referral if it is not yet matched.</summary>
    Start,

    /// <summary>Time out every offered part whose deadline has passed on the app's clock.</summary>
    CheckDeadlines,

    /// <summary>Nothing: a response (or its signal) came; perform what it asked for.</summary>
    Refresh,
}

/// <summary>One <see cref="AdvanceReferral"/> call: performs the effects of the decisions after <paramref name="PerformedUpTo"/>.</summary>
public sealed record ReferralStep(string ReferralId, ReferralStepKind Kind, int PerformedUpTo);

/// <summary>An assignment part as the workflow waits on it.</summary>
public sealed record PartProgress(string Id, int Attempt, PartStatus Status, DateTimeOffset? DueAt)
{
    public bool IsOpen => Status is PartStatus.Offered or PartStatus.Active;
}

/// <summary>Where a referral stands after a step; <paramref name="Version"/> is its last decision, now performed.</summary>
public sealed record ReferralProgress(bool Exists, int Version, ReferralStatus Status, IReadOnlyList<PartProgress> Parts)
{
    public static ReferralProgress Missing { get; } = new(false, 0, ReferralStatus.Matching, []);

    /// <summary>Still waiting on a partner: the workflow goes on.</summary>
    public bool IsOpen => Parts.Any(part => part.IsOpen);

    public static ReferralProgress Of(LoadedReferral loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        return new(
            true,
            loaded.Version,
            loaded.State.Status,
            [.. loaded.State.Parts.Select(part => new PartProgress(part.Id, part.Attempt, part.Status, part.DueAt))]);
    }
}

/// <summary>
/// A partner's response event (<see cref="ReferralWorkflow.ResponseEvent"/>), raised by the link handler before it
/// commits: the referral is about to reach <paramref name="Version"/>.
/// </summary>
public sealed record ResponseSignal(int Version);
