namespace FastTrack.Domain.Calendar;

/// <summary>
/// SPEC §8: business days are Monday to Friday in one time zone, minus that country's holidays. Only time on
/// business days counts, whole days, measured as elapsed time: a 23- or 25-hour DST day counts as it really lasts.
/// </summary>
public sealed class BusinessCalendar
{
    private readonly TimeZoneInfo zone;
    private readonly IReadOnlySet<DateOnly> holidays;

    public BusinessCalendar(TimeZoneInfo zone, IReadOnlySet<DateOnly> holidays)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(holidays);
        this.zone = zone;
        this.holidays = holidays;
    }

    /// <summary>A calendar for an IANA (or Windows) time zone id such as a partner profile's <c>timeZone</c>.</summary>
    public static BusinessCalendar For(string timeZoneId, IReadOnlySet<DateOnly> holidays) =>
        new(TimeZoneInfo.FindSystemTimeZoneById(timeZoneId), holidays);

    public TimeZoneInfo Zone => zone;

    public bool IsBusinessDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !holidays.Contains(date);

    /// <summary>
    /// The instant at which <paramref name="amount"/> of business-day time has passed since <paramref name="start"/>,
    /// expressed in the calendar's zone. Sent Friday 15:00 + 48 h → Tuesday 15:00; Saturday 10:00 + 48 h → Wednesday 00:00.
    /// </summary>
    public DateTimeOffset AddBusinessTime(DateTimeOffset start, TimeSpan amount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(amount, TimeSpan.Zero);
        var cursor = start;
        var remaining = amount;
        while (true)
        {
            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(cursor, zone).DateTime);
            var nextDay = StartOf(day.AddDays(1));
            if (IsBusinessDay(day))
            {
                var available = nextDay - cursor;
                if (remaining <= available)
                {
                    return TimeZoneInfo.ConvertTime(cursor + remaining, zone);
                }

                remaining -= available;
            }

            cursor = nextDay;
        }
    }

    /// <summary>The instant a local date begins; where DST skips midnight, the first instant that exists that day.</summary>
    private DateTimeOffset StartOf(DateOnly date)
    {
        var midnight = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        if (zone.IsAmbiguousTime(midnight))
        {
            return new DateTimeOffset(midnight, zone.GetAmbiguousTimeOffsets(midnight).Max());
        }

        // A skipped local midnight read with the offset in force just before it lands on the first valid instant.
        var offset = zone.IsInvalidTime(midnight) ? zone.GetUtcOffset(midnight.AddDays(-1)) : zone.GetUtcOffset(midnight);
        return new DateTimeOffset(midnight, offset);
    }
}
