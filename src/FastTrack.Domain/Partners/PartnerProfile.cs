using FastTrack.Domain.Catalog;

namespace FastTrack.Domain.Partners;

/// <summary>
/// A partner's referral profile (SPEC §2) plus the matching state kept next to it.
/// Country codes are ISO 3166-1 alpha-2 upper case and language codes ISO 639-1 lower case; callers normalise them.
/// </summary>
public sealed record PartnerProfile(
    string Id,
    string Name,
    bool Fpc,
    bool Frp,
    bool ReferralReady,
    bool BenefitReferrals,
    string HomeCountry,
    IReadOnlySet<string> Countries,
    IReadOnlySet<string> Languages,
    IReadOnlySet<Segment> Industries,
    int MinSeats,
    int MaxSeats,
    IReadOnlySet<Workload> Endorsements,
    string ReferralContact,
    string TimeZone,
    string FpmEmail,
    DateTimeOffset? PausedUntil = null,
    DateTimeOffset? LastAssignedAt = null,
    bool CapacityDeclineUsed = false)
{
    /// <summary>The home country is always served, whatever the opted-in list says.</summary>
    public bool ServesCountry(string country) =>
        string.Equals(HomeCountry, country, StringComparison.Ordinal) || Countries.Contains(country);

    public bool IsPaused(DateTimeOffset now) => PausedUntil > now;

    /// <summary>Validates a pause request: at most <see cref="ProgramRules.MaxPause"/> ahead. Null when acceptable.</summary>
    public static string? CheckPause(DateTimeOffset until, DateTimeOffset now) =>
        until - now > ProgramRules.MaxPause
            ? $"A pause may last at most {ProgramRules.MaxPause.TotalDays:0} days; turn referrals back on by {now + ProgramRules.MaxPause:O}."
            : null;
}
