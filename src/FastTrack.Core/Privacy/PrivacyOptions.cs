namespace FastTrack.Core.Privacy;

/// <summary>Section <c>Privacy</c>.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>The setting the Functions app's timer trigger reads its schedule from (<c>%Privacy:SweepSchedule%</c>).</summary>
    public const string SweepScheduleSetting = Section + ":" + nameof(SweepSchedule);

    /// <summary>When <see cref="PrivacySweep"/> runs: six-field NCRONTAB, UTC; hourly by default.</summary>
    public string SweepSchedule { get; set; } = "0 0 * * * *";
}
