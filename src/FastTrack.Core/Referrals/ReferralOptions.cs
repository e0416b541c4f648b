namespace FastTrack.Core.Referrals;

/// <summary>Section <c>Referrals</c>.</summary>
public sealed class ReferralOptions
{
    public const string Section = "Referrals";

    /// <summary>The setting the Functions app's timer trigger reads its schedule from (<c>%Referrals:IndexBackfillSchedule%</c>).</summary>
    public const string IndexBackfillScheduleSetting = Section + ":" + nameof(IndexBackfillSchedule);

    /// <summary>When <see cref="ReferralIndexBackfill"/> runs: six-field NCRONTAB, UTC; every five minutes by default.</summary>
    public string IndexBackfillSchedule { get; set; } = "0 */5 * * * *";
}
