namespace FastTrack.DevHost.Triggers;

/// <summary>
/// How the dev host runs the Functions app's triggers itself. The queue settings are read from <c>host.json</c>
/// (<c>extensions.queues</c>), the file the Functions host reads, so both retry and poison messages alike.
/// </summary>
public sealed class TriggerLoopOptions
{
    public const string Section = "Triggers";

    /// <summary>Tests that call the functions themselves turn the local triggers off.</summary>
    public bool RunLocally { get; set; } = true;

    /// <summary>How often timers compare their next occurrence with the app's clock, and blobs are listed.</summary>
    public TimeSpan PollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    public QueueSettings Queues { get; set; } = QueueSettings.FromHostJson();
}
