namespace FastTrack.Core.Health;

/// <summary>Section <c>Health</c>.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>The setting the Functions app's timer trigger reads its schedule from (<c>%Health:HeartbeatSchedule%</c>).</summary>
    public const string HeartbeatScheduleSetting = Section + ":" + nameof(HeartbeatSchedule);

    /// <summary>Six-field NCRONTAB, UTC: every five minutes.</summary>
    public string HeartbeatSchedule { get; set; } = "0 */5 * * * *";
}
