namespace FastTrack.Core.Referrals;

/// <summary>How referral workflows are started. Not a setting: the host says it.</summary>
public sealed class ReferralWorkflowOptions
{
    /// <summary>
    /// The dev host sets this in Development: its clock can be moved ahead of real time, and a durable timer runs on
    /// real time, so its workflows also check their deadlines whenever the clock moves. In Azure the timers alone decide.
    /// </summary>
    public bool FollowAppClock { get; set; }
}
