using FastTrack.Domain.Calendar;
using FastTrack.Domain.Matching;
using FastTrack.Domain.Partners;

namespace FastTrack.Domain.Referrals;

/// <summary>What became of a command. The HTTP layer maps these to API.md outcomes and status codes.</summary>
public enum DecisionOutcome
{
    Submitted,
    Accepted,
    Declined,
    TimedOut,
    Completed,
    Escalated,

    /// <summary>A business refusal (refused decline reason, complete before accept…): nothing changed for the part.</summary>
    Refused,

    /// <summary>A repeat of something already done (accept twice, double submit): nothing changed.</summary>
    AlreadyDone,

    /// <summary>The command belongs to an assignment that has ended (old link, old timer): ignored.</summary>
    Stale,

    /// <summary>A timer fired before the deadline: ignored (the workflow waits again).</summary>
    NotYetDue,

    /// <summary>The command cannot apply to this referral (unknown part, wrong partner, missing notes).</summary>
    Invalid,
}

public enum HistoryKind
{
    Submitted,
    PartnerMatched,
    PartnersExcluded,
    Offered,
    Accepted,
    Declined,
    DeclineRefused,
    TimedOut,
    Unmatched,
    Escalated,
    Completed,
    ReferralCompleted,
}

/// <summary>One line of the referral's history (API.md <c>history</c>).</summary>
public sealed record HistoryEntry(
    DateTimeOffset At,
    HistoryKind Kind,
    string Actor,
    string? PartnerId = null,
    string? PartId = null,
    string? Reason = null,
    string? Details = null);

/// <summary>Who the history names as the actor when no person acted.</summary>
public static class Actors
{
    public const string Matching = "system:matching";
    public const string SlaTimer = "system:sla";

    public static string Partner(string partnerId) => $"partner:{partnerId}";
}

/// <summary>The result of <see cref="ReferralDecider.Decide"/>: commit <see cref="State"/>, <see cref="History"/> and <see cref="Effects"/> together.</summary>
public sealed record Decision(
    DecisionOutcome Outcome,
    string Message,
    Referral State,
    IReadOnlyList<HistoryEntry> History,
    IReadOnlyList<ReferralEffect> Effects)
{
    /// <summary>True when something must be committed; false for repeats, stale and invalid commands.</summary>
    public bool Changed => History.Count > 0 || Effects.Count > 0;
}

/// <summary>What the runner needs from outside the referral: the partner snapshot and holidays per country.</summary>
public sealed record ReferralContext(
    PartnerDirectory Partners,
    IReadOnlyDictionary<string, IReadOnlySet<DateOnly>> HolidaysByCountry)
{
    private static readonly IReadOnlySet<DateOnly> NoHolidays = new HashSet<DateOnly>();

    /// <summary>The partner's calendar: its time zone and its home country's holidays (SPEC §8).</summary>
    public BusinessCalendar CalendarFor(PartnerProfile partner)
    {
        ArgumentNullException.ThrowIfNull(partner);
        return BusinessCalendar.For(partner.TimeZone, HolidaysByCountry.GetValueOrDefault(partner.HomeCountry) ?? NoHolidays);
    }
}
