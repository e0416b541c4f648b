using FastTrack.Domain.Calendar;
using FsCheck.Fluent;
using Xunit;

namespace FastTrack.Domain.Tests.Calendar;

public class BusinessCalendarTests
{
    private static readonly TimeSpan TwoBusinessDays = ProgramRules.PartnerResponseTime;
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo Cairo = TimeZoneInfo.FindSystemTimeZoneById("Africa/Cairo");

    private static BusinessCalendar Calendar(TimeZoneInfo zone, params DateOnly[] holidays) => new(zone, holidays.ToHashSet());

    /// <summary>A local wall-clock time in the zone, as an instant.</summary>
    private static DateTimeOffset Local(TimeZoneInfo zone, int year, int month, int day, int hour, int minute = 0)
    {
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    [Fact]
    public void Forty_eight_business_hours_after_friday_15_00_is_tuesday_15_00()
    {
        var due = Calendar(NewYork).AddBusinessTime(Local(NewYork, 2026, 11, 13, 15), TwoBusinessDays);

        Assert.Equal(Local(NewYork, 2026, 11, 17, 15), due);
        Assert.Equal(new DateTime(2026, 11, 17, 15, 0, 0), due.DateTime);
    }

    [Fact]
    public void Forty_eight_business_hours_after_saturday_10_00_is_wednesday_00_00() =>
        Assert.Equal(Local(NewYork, 2026, 11, 18, 0), Calendar(NewYork).AddBusinessTime(Local(NewYork, 2026, 11, 14, 10), TwoBusinessDays));

    [Fact]
    public void A_midweek_send_is_due_two_days_later_at_the_same_time() =>
        Assert.Equal(Local(NewYork, 2026, 11, 19, 9, 30), Calendar(NewYork).AddBusinessTime(Local(NewYork, 2026, 11, 17, 9, 30), TwoBusinessDays));

    [Fact]
    public void A_holiday_in_the_partners_country_is_skipped_like_a_weekend()
    {
        // Thanksgiving (Thursday 26 November 2026) and the Friday after.
        var calendar = Calendar(NewYork, new DateOnly(2026, 11, 26), new DateOnly(2026, 11, 27));

        Assert.Equal(Local(NewYork, 2026, 12, 1, 15), calendar.AddBusinessTime(Local(NewYork, 2026, 11, 25, 15), TwoBusinessDays));
    }

    [Fact]
    public void Friday_15_00_before_a_monday_holiday_is_due_wednesday_15_00() =>
        Assert.Equal(
            Local(NewYork, 2026, 11, 18, 15),
            Calendar(NewYork, new DateOnly(2026, 11, 16)).AddBusinessTime(Local(NewYork, 2026, 11, 13, 15), TwoBusinessDays));

    [Fact]
    public void The_deadline_is_reckoned_in_the_partners_zone_not_in_utc()
    {
        // Friday 23:00 UTC is Friday 18:00 in New York (business time) but already Saturday 00:00 in Berlin.
        var sent = new DateTimeOffset(2026, 11, 13, 23, 0, 0, TimeSpan.Zero);

        Assert.Equal(Local(NewYork, 2026, 11, 17, 18), Calendar(NewYork).AddBusinessTime(sent, TwoBusinessDays));
        Assert.Equal(Local(Berlin, 2026, 11, 18, 0), Calendar(Berlin).AddBusinessTime(sent, TwoBusinessDays));
    }

    [Fact]
    public void A_send_before_the_autumn_clock_change_keeps_its_wall_clock_time_because_the_change_falls_on_a_sunday()
    {
        // New York leaves daylight time on Sunday 1 November 2026.
        var due = Calendar(NewYork).AddBusinessTime(Local(NewYork, 2026, 10, 30, 15), TwoBusinessDays);

        Assert.Equal(new DateTime(2026, 11, 3, 15, 0, 0), due.DateTime);
        Assert.Equal(TimeSpan.FromHours(-5), due.Offset);
    }

    [Fact]
    public void A_business_day_shortened_by_a_clock_change_counts_only_the_hours_it_has()
    {
        // Cairo springs forward at Friday 24 April 2026 00:00 (a business day, and its midnight never happens).
        Assert.True(Cairo.IsInvalidTime(new DateTime(2026, 4, 24, 0, 0, 0)), "precondition: tzdata has Cairo's 2026 DST");
        var thursday = Local(Cairo, 2026, 4, 23, 0);

        var due = Calendar(Cairo).AddBusinessTime(thursday, TwoBusinessDays);

        // Thursday gives 24 h, Friday only 23 h, so the last hour falls on Monday.
        Assert.Equal(new DateTimeOffset(2026, 4, 27, 1, 0, 0, TimeSpan.FromHours(3)), due);
    }

    [Fact]
    public void The_offer_desks_review_target_uses_the_same_rule() =>
        Assert.Equal(
            Local(Berlin, 2026, 11, 17, 15),
            Calendar(Berlin).AddBusinessTime(Local(Berlin, 2026, 11, 13, 15), ProgramRules.OfferDeskReviewTarget));

    [Fact]
    public void Weekends_and_holidays_are_not_business_days()
    {
        var calendar = Calendar(NewYork, new DateOnly(2026, 12, 25));
        Assert.True(calendar.IsBusinessDay(new DateOnly(2026, 12, 24)));
        Assert.False(calendar.IsBusinessDay(new DateOnly(2026, 12, 25)));
        Assert.False(calendar.IsBusinessDay(new DateOnly(2026, 12, 26)));
        Assert.False(calendar.IsBusinessDay(new DateOnly(2026, 12, 27)));
        Assert.True(calendar.IsBusinessDay(new DateOnly(2026, 12, 28)));
    }

    // Properties: any start in 2026, random holidays, zones either side of UTC, Cairo's clock changes fall on weekdays.
    private static readonly FsCheck.Gen<(DateTimeOffset Start, TimeZoneInfo Zone, DateOnly[] Holidays)> Sends =
        from minutes in Gen.Choose(0, 365 * 24 * 60)
        from zone in Gen.Elements(NewYork, Berlin, Cairo, TimeZoneInfo.FindSystemTimeZoneById("Australia/Sydney"))
        from holidayOffsets in Gen.ListOf(Gen.Choose(0, 40), 5)
        let start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(minutes)
        select (start, zone, holidayOffsets.Select(d => DateOnly.FromDateTime(start.UtcDateTime).AddDays(d - 1)).ToArray());

    [Fact]
    public void Deadlines_end_on_business_time_and_count_exactly_the_business_time_in_between() =>
        Properties.Hold(Sends, t =>
        {
            var calendar = Calendar(t.Zone, t.Holidays);
            var due = calendar.AddBusinessTime(t.Start, TwoBusinessDays);

            var justBefore = TimeZoneInfo.ConvertTime(due.AddTicks(-1), t.Zone);
            Assert.True(calendar.IsBusinessDay(DateOnly.FromDateTime(justBefore.DateTime)), $"due {due:O} ends no business time");
            Assert.Equal(TwoBusinessDays, BusinessTimeBetween(calendar, t.Zone, t.Start, due));
        }, tests: 300);

    [Fact]
    public void Deadlines_are_monotonic_in_the_send_time() =>
        Properties.Hold(Sends.Zip(Gen.Choose(1, 5 * 24 * 60)), t =>
        {
            var ((start, zone, holidays), laterBy) = t;
            var calendar = Calendar(zone, holidays);
            Assert.True(calendar.AddBusinessTime(start, TwoBusinessDays) <= calendar.AddBusinessTime(start.AddMinutes(laterBy), TwoBusinessDays));
        }, tests: 300);

    [Fact]
    public void Friday_15_00_is_always_due_tuesday_15_00_in_the_partners_zone_one_day_later_per_holiday_skipped() =>
        Properties.Hold(
            from week in Gen.Choose(0, 51)
            from zone in Gen.Elements(NewYork, Berlin, Cairo, TimeZoneInfo.FindSystemTimeZoneById("Australia/Sydney"))
            from holidays in Gen.SubListOf(1, 2) // days after the weekend: Monday, Tuesday
            select (Friday: new DateOnly(2026, 1, 2).AddDays(7 * week), zone, holidays),
            t =>
            {
                var calendar = Calendar(t.zone, [.. t.holidays.Select(d => t.Friday.AddDays(2 + d))]);
                var sent = Local(t.zone, t.Friday.Year, t.Friday.Month, t.Friday.Day, 15);

                var due = calendar.AddBusinessTime(sent, TwoBusinessDays);

                var expected = t.Friday.AddDays(4 + t.holidays.Count);
                Assert.Equal(expected.ToDateTime(new TimeOnly(15, 0)), due.DateTime);
                Assert.Equal(t.zone.GetUtcOffset(due), due.Offset);
            });

    /// <summary>An independent oracle: walk minute by minute and count the minutes that fall on business days.</summary>
    private static TimeSpan BusinessTimeBetween(BusinessCalendar calendar, TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to)
    {
        var total = TimeSpan.Zero;
        for (var t = from; t < to; t = t.AddMinutes(1))
        {
            if (calendar.IsBusinessDay(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(t, zone).DateTime)))
            {
                total += TimeSpan.FromMinutes(1);
            }
        }

        return total;
    }
}
