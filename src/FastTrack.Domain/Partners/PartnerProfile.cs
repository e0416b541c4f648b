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

    /// <summary>
    /// Every problem with a profile as imported (SPEC §2), so a bad one is refused before matching or the SLA
    /// calendar meets it: an unknown time zone would make every deadline for this partner impossible to compute.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Id) || string.IsNullOrWhiteSpace(Name))
        {
            problems.Add("A partner needs an id and a name.");
        }

        if (!IsCountryCode(HomeCountry) || !Countries.All(IsCountryCode))
        {
            problems.Add("Countries are ISO 3166-1 alpha-2 codes in upper case, such as US.");
        }

        if (Languages.Count == 0 || !Languages.All(l => l is { Length: 2 } && l.All(char.IsAsciiLetterLower)))
        {
            problems.Add("At least one language, as ISO 639-1 codes in lower case, such as en.");
        }

        if (Industries.Contains(Segment.Commercial))
        {
            problems.Add("Industries are opt-ins among Education, Government and NonProfit.");
        }

        if (MinSeats < 0 || MinSeats > MaxSeats)
        {
            problems.Add($"The target size {MinSeats}–{MaxSeats} seats is not a range.");
        }

        if (string.IsNullOrWhiteSpace(ReferralContact) || !ReferralContact.Contains('@', StringComparison.Ordinal))
        {
            problems.Add("A referral contact email is required.");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone ?? string.Empty, out _))
        {
            problems.Add($"Unknown time zone '{TimeZone}'; use an IANA id such as America/New_York.");
        }

        if (BenefitReferrals && !Frp)
        {
            problems.Add("Only FastTrack Ready Partners can opt in to Benefit referrals.");
        }

        return problems;
    }

    private static bool IsCountryCode(string code) => code is { Length: 2 } && code.All(char.IsAsciiLetterUpper);

    /// <summary>Validates a pause request: at most <see cref="ProgramRules.MaxPause"/> ahead. Null when acceptable.</summary>
    public static string? CheckPause(DateTimeOffset until, DateTimeOffset now) =>
        until - now > ProgramRules.MaxPause
            ? $"A pause may last at most {ProgramRules.MaxPause.TotalDays:0} days; turn referrals back on by {now + ProgramRules.MaxPause:O}."
            : null;
}
