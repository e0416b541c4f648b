namespace FastTrack.Core.Referrals;

/// <summary>The referral workflow's log messages, for its replay-safe logger.</summary>
internal static partial class ReferralWorkflowLogs
{
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Referral {ReferralId}: no referral was stored under this workflow; its intake did not complete, so the workflow ends")]
    public static partial void NeverCreated(ILogger logger, string referralId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Referral {ReferralId}: step {Kind} failed every try ({ErrorType}); trying again in {Pause}")]
    public static partial void StepFailed(ILogger logger, string referralId, ReferralStepKind kind, string errorType, TimeSpan pause);
}
