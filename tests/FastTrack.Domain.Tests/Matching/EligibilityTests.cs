using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;
using FastTrack.Domain.Partners;
using Xunit;
using static FastTrack.Domain.Tests.Partners;

namespace FastTrack.Domain.Tests.Matching;

public class EligibilityTests
{
    private static Ineligibility Check(PartnerProfile partner, MatchRequest? request = null, IReadOnlySet<string>? excluded = null)
    {
        request ??= Request(Workload.Teams);
        return Eligibility.Check(partner, request, request.Workloads, excluded ?? None, Now);
    }

    [Fact]
    public void A_partner_meeting_every_rule_is_eligible() =>
        Assert.Equal(Ineligibility.None, Check(Eligible("a")));

    [Fact]
    public void A_partner_outside_the_partner_community_is_not_eligible() =>
        Assert.Equal(Ineligibility.NotFpc, Check(Eligible("a") with { Fpc = false }));

    [Fact]
    public void A_standard_referral_needs_the_referral_ready_opt_in() =>
        Assert.Equal(Ineligibility.NotReferralReady, Check(Eligible("a") with { ReferralReady = false }));

    [Fact]
    public void A_benefit_referral_needs_an_frp_opted_in_to_benefit_referrals()
    {
        var benefit = Request(ReferralType.Benefit, Segment.Commercial, Workload.Teams);
        Assert.Equal(Ineligibility.NotFrp, Check(Eligible("a") with { Frp = false }, benefit));
        Assert.Equal(Ineligibility.NotOptedInForBenefit, Check(Eligible("a") with { BenefitReferrals = false }, benefit));
        Assert.Equal(Ineligibility.None, Check(Eligible("a") with { ReferralReady = false }, benefit));
    }

    [Fact]
    public void A_partner_paused_until_later_is_not_eligible_and_is_again_once_the_pause_ends()
    {
        Assert.Equal(Ineligibility.Paused, Check(Eligible("a") with { PausedUntil = Now.AddTicks(1) }));
        Assert.Equal(Ineligibility.None, Check(Eligible("a") with { PausedUntil = Now }));
    }

    [Fact]
    public void A_partner_must_serve_the_customers_language() =>
        Assert.Equal(Ineligibility.LanguageNotServed, Check(Eligible("a") with { Languages = new HashSet<string> { "fr" } }));

    [Fact]
    public void A_partner_serves_its_home_country_and_its_opted_in_countries_only()
    {
        Assert.Equal(Ineligibility.None, Check(Eligible("a") with { Countries = new HashSet<string>() }));
        Assert.Equal(Ineligibility.None, Check(Eligible("a") with { HomeCountry = "CA", Countries = new HashSet<string> { "US" } }));
        Assert.Equal(Ineligibility.CountryNotServed, Check(Eligible("a") with { HomeCountry = "CA", Countries = new HashSet<string> { "MX" } }));
    }

    [Theory]
    [InlineData(Segment.Education)]
    [InlineData(Segment.Government)]
    [InlineData(Segment.NonProfit)]
    public void Education_government_and_nonprofit_customers_need_the_industry_opt_in(Segment segment)
    {
        var request = Request(ReferralType.Standard, segment, Workload.Teams);
        Assert.Equal(Ineligibility.SegmentNotServed, Check(Eligible("a") with { Industries = new HashSet<Segment>() }, request));
        Assert.Equal(Ineligibility.None, Check(Eligible("a") with { Industries = new HashSet<Segment> { segment } }, request));
    }

    [Fact]
    public void Commercial_customers_need_no_industry_opt_in() =>
        Assert.Equal(Ineligibility.None, Check(Eligible("a") with { Industries = new HashSet<Segment>() }));

    [Theory]
    [InlineData(2_000, 2_000, Ineligibility.None)]
    [InlineData(2_001, 3_000, Ineligibility.SeatsOutOfRange)]
    [InlineData(1_000, 1_999, Ineligibility.SeatsOutOfRange)]
    [InlineData(1_000, 3_000, Ineligibility.None)]
    public void The_seat_count_must_lie_in_the_partners_target_range_inclusive(int min, int max, Ineligibility expected) =>
        Assert.Equal(expected, Check(Eligible("a") with { MinSeats = min, MaxSeats = max }));

    [Fact]
    public void A_partner_is_never_eligible_for_a_workload_it_is_not_endorsed_for()
    {
        var request = Request(Workload.Teams, Workload.Intune);
        Assert.Equal(Ineligibility.NotEndorsed, Check(Eligible("a", Workload.Teams), request));
    }

    [Fact]
    public void A_partner_that_declined_or_timed_out_on_the_referral_is_not_eligible() =>
        Assert.Equal(Ineligibility.AlreadyDeclinedOrTimedOut, Check(Eligible("a"), excluded: Ids("a")));

    [Fact]
    public void Every_failing_reason_is_reported_and_described()
    {
        var partner = Eligible("a", Workload.Teams) with
        {
            Fpc = false,
            PausedUntil = Now.AddDays(3),
            Languages = new HashSet<string> { "fr" },
            MinSeats = 5_000,
        };
        var request = Request(Workload.Teams, Workload.Intune);

        var reasons = Eligibility.Check(partner, request, request.Workloads, Ids("a"), Now);
        var described = Eligibility.Describe(reasons, partner, request, request.Workloads);

        Assert.Equal(
            Ineligibility.NotFpc | Ineligibility.Paused | Ineligibility.LanguageNotServed | Ineligibility.SeatsOutOfRange
            | Ineligibility.NotEndorsed | Ineligibility.AlreadyDeclinedOrTimedOut,
            reasons);
        Assert.Equal(
            [
                "not a FastTrack Partner Community member",
                $"paused until {Now.AddDays(3):O}",
                "does not serve language en",
                "2000 seats is outside its range 5000–100000",
                "not endorsed for Intune",
                "already declined or timed out on this referral",
            ],
            described);
    }

    [Fact]
    public void A_pause_may_last_thirty_days_and_no_longer()
    {
        Assert.Null(PartnerProfile.CheckPause(Now.AddDays(30), Now));
        Assert.NotNull(PartnerProfile.CheckPause(Now.AddDays(30).AddSeconds(1), Now));
    }
}

public class PartnerProfileTests
{
    [Fact]
    public void A_well_formed_profile_has_no_problems() => Assert.Empty(Eligible("a").Problems());

    [Fact]
    public void Every_problem_of_a_bad_profile_is_listed()
    {
        var bad = Eligible("a") with
        {
            HomeCountry = "usa",
            Languages = new HashSet<string>(),
            Industries = new HashSet<Segment> { Segment.Commercial },
            MinSeats = 500,
            MaxSeats = 100,
            ReferralContact = "nobody",
            TimeZone = "Mars/Olympus_Mons",
            Frp = false,
        };

        Assert.Equal(7, bad.Problems().Count);
        Assert.Contains(bad.Problems(), p => p.Contains("Mars/Olympus_Mons", StringComparison.Ordinal));
        Assert.Contains(bad.Problems(), p => p.Contains("Benefit", StringComparison.Ordinal));
    }
}
