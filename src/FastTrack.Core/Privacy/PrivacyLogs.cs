namespace FastTrack.Core.Privacy;

/// <summary>Log messages of the privacy workflow, usable through an orchestration's replay-safe logger.</summary>
internal static partial class PrivacyLogs
{
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Personal data request {RequestId}: every try failed ({ErrorType}); trying again in {Pause}")]
    public static partial void TriesFailed(ILogger logger, string requestId, string errorType, TimeSpan pause);
}
