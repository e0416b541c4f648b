using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;
using Xunit;
using static FastTrack.Domain.Tests.Partners;

namespace FastTrack.Domain.Tests.Matching;

public class MatcherTests
{
    private static string[] PartnerIds(MatchResult result) => result.Parts.Select(p => p.Partner.Id).ToArray();

    [Fact]
    public void A_partner_with_an_existing_relationship_gets_the_referral_before_anyone_else()
    {
        var directory = Directory(Eligible("a"), Eligible("b"), Eligible("c") with { LastAssignedAt = Now });
        var request = Request(Workload.Teams).WithClaims(("c", [Workload.Teams]));

        var result = Matcher.Match(directory, request, Now);

        var part = Assert.Single(result.Parts);
        Assert.Equal("c", part.Partner.Id);
        Assert.Equal(MatchRule.ExistingRelationship, part.Rule);
        Assert.Contains("CPOR claim on 1 workload", part.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Among_several_existing_relationships_the_most_claimed_workloads_wins_then_round_robin()
    {
        var directory = Directory(
            Eligible("a") with { LastAssignedAt = Now.AddDays(-9) },
            Eligible("b") with { LastAssignedAt = Now.AddDays(-1) },
            Eligible("c") with { LastAssignedAt = Now.AddDays(-2) });
        var most = Request(Workload.Teams).WithClaims(("a", [Workload.Teams]), ("b", [Workload.Teams, Workload.Intune]));
        var tied = Request(Workload.Teams).WithClaims(("b", [Workload.Teams]), ("c", [Workload.Intune]));

        Assert.Equal(["b"], PartnerIds(Matcher.Match(directory, most, Now)));
        Assert.Equal(["c"], PartnerIds(Matcher.Match(directory, tied, Now)));
    }

    [Fact]
    public void A_claim_held_by_an_ineligible_partner_does_not_count()
    {
        var directory = Directory(Eligible("a"), Eligible("b") with { PausedUntil = Now.AddDays(1) });
        var request = Request(Workload.Teams).WithClaims(("b", [Workload.Teams]));

        var part = Assert.Single(Matcher.Match(directory, request, Now).Parts);

        Assert.Equal(("a", MatchRule.RoundRobin), (part.Partner.Id, part.Rule));
    }

    [Fact]
    public void Round_robin_picks_a_never_assigned_partner_first_then_the_longest_waiting()
    {
        var waited = Directory(Eligible("a") with { LastAssignedAt = Now.AddDays(-1) }, Eligible("b") with { LastAssignedAt = Now.AddDays(-5) });
        var never = Directory(Eligible("a") with { LastAssignedAt = Now.AddDays(-1) }, Eligible("z"));

        Assert.Equal(["b"], PartnerIds(Matcher.Match(waited, Request(), Now)));
        Assert.Equal(["z"], PartnerIds(Matcher.Match(never, Request(), Now)));
    }

    [Fact]
    public void Round_robin_ties_are_broken_by_partner_id_whatever_the_directory_order()
    {
        var at = Now.AddDays(-3);
        var directory = Directory(Eligible("p9") with { LastAssignedAt = at }, Eligible("p10") with { LastAssignedAt = at }, Eligible("p2") with { LastAssignedAt = at });

        var part = Assert.Single(Matcher.Match(directory, Request(), Now).Parts);

        Assert.Equal("p10", part.Partner.Id); // ordinal order: "p10" < "p2" < "p9"
        Assert.Equal(MatchRule.RoundRobin, part.Rule);
    }

    [Fact]
    public void A_partner_endorsed_for_everything_beats_a_split_even_when_others_waited_longer()
    {
        var directory = Directory(
            Eligible("teams", Workload.Teams),
            Eligible("intune", Workload.Intune),
            Eligible("both", Workload.Teams, Workload.Intune) with { LastAssignedAt = Now });

        Assert.Equal(["both"], PartnerIds(Matcher.Match(directory, Request(Workload.Teams, Workload.Intune), Now)));
    }

    [Fact]
    public void Without_a_partner_for_everything_the_workloads_are_split_across_as_few_partners_as_possible()
    {
        var directory = Directory(
            Eligible("a", Workload.Teams),
            Eligible("b", Workload.Intune),
            Eligible("c", Workload.Intune, Workload.Purview),
            Eligible("d", Workload.Purview));

        var result = Matcher.Match(directory, Request(Workload.Teams, Workload.Intune, Workload.Purview), Now);

        Assert.Equal(["a", "c"], PartnerIds(result).Order());
        Assert.Equal([Workload.Intune, Workload.Purview], result.Parts.Single(p => p.Partner.Id == "c").Workloads.Order());
        Assert.Empty(result.UnmatchedWorkloads);
        Assert.All(result.Parts, p => Assert.Contains("split", p.Explanation, StringComparison.Ordinal));
    }

    [Fact]
    public void The_split_avoids_the_greedy_trap_where_the_biggest_partner_forces_a_third_part()
    {
        // Greedy alone takes "big" (4 workloads) and then needs two more; "left" + "right" cover all six.
        var directory = Directory(
            Eligible("big", Workload.Teams, Workload.Intune, Workload.EntraId, Workload.Purview),
            Eligible("left", Workload.Teams, Workload.Intune, Workload.Windows),
            Eligible("right", Workload.EntraId, Workload.Purview, Workload.VivaGoals));

        var result = Matcher.Match(directory, Request(Workload.Teams, Workload.Intune, Workload.EntraId, Workload.Purview, Workload.Windows, Workload.VivaGoals), Now);

        Assert.Equal(["left", "right"], PartnerIds(result).Order());
    }

    [Fact]
    public void Ties_in_coverage_are_broken_by_existing_relationship_then_round_robin()
    {
        var directory = Directory(
            Eligible("a", Workload.Teams),
            Eligible("b", Workload.Teams) with { LastAssignedAt = Now },
            Eligible("c", Workload.Intune) with { LastAssignedAt = Now.AddDays(-1) },
            Eligible("d", Workload.Intune) with { LastAssignedAt = Now.AddDays(-2) });
        var request = Request(Workload.Teams, Workload.Intune).WithClaims(("b", [Workload.Windows]));

        var result = Matcher.Match(directory, request, Now);

        Assert.Equal(["b", "d"], PartnerIds(result).Order());
        Assert.Equal(MatchRule.ExistingRelationship, result.Parts.Single(p => p.Partner.Id == "b").Rule);
        Assert.Equal(MatchRule.RoundRobin, result.Parts.Single(p => p.Partner.Id == "d").Rule);
    }

    [Fact]
    public void Workloads_that_would_need_a_fourth_partner_are_left_unmatched()
    {
        var directory = Directory(
            Eligible("a", Workload.Teams),
            Eligible("b", Workload.Intune),
            Eligible("c", Workload.Purview),
            Eligible("d", Workload.Windows));

        var result = Matcher.Match(directory, Request(Workload.Teams, Workload.Intune, Workload.Purview, Workload.Windows), Now);

        Assert.Equal(ProgramRules.MaxPartsPerReferral, result.Parts.Count);
        Assert.Single(result.UnmatchedWorkloads);
        var all = result.Parts.SelectMany(p => p.Workloads).Concat(result.UnmatchedWorkloads);
        Assert.Equal([Workload.Teams, Workload.Intune, Workload.Purview, Workload.Windows], all.Order());
    }

    [Fact]
    public void A_workload_no_eligible_partner_is_endorsed_for_is_unmatched_and_the_rest_still_matched()
    {
        var directory = Directory(Eligible("a", Workload.Teams));

        var result = Matcher.Match(directory, Request(Workload.Teams, Workload.VivaGlint), Now);

        Assert.Equal(["a"], PartnerIds(result));
        Assert.Equal([Workload.VivaGlint], result.UnmatchedWorkloads);
    }

    [Fact]
    public void With_no_eligible_partner_everything_is_unmatched_and_each_exclusion_says_why()
    {
        var directory = Directory(
            Eligible("paused") with { PausedUntil = Now.AddDays(2) },
            Eligible("small") with { MaxSeats = 500 },
            Eligible("french") with { Languages = new HashSet<string> { "fr" } });

        var result = Matcher.Match(directory, Request(Workload.Teams), Now);

        Assert.Empty(result.Parts);
        Assert.Equal([Workload.Teams], result.UnmatchedWorkloads);
        Assert.Equal(["paused", "small"], result.Exclusions.Select(e => e.Partner.Id).Order());
        Assert.Equal(1, result.PartnersNotServingCountryAndLanguage);
        Assert.Equal($"paused: paused until {Now.AddDays(2):O}", result.Exclusions.Single(e => e.Partner.Id == "paused").ToString());
    }

    [Fact]
    public void Partners_excluded_for_the_referral_are_not_matched()
    {
        var directory = Directory(Eligible("a"), Eligible("b") with { LastAssignedAt = Now });

        var result = Matcher.Match(directory, Request(), Now, Ids("a"));

        Assert.Equal(["b"], PartnerIds(result));
        Assert.Equal(Ineligibility.AlreadyDeclinedOrTimedOut, Assert.Single(result.Exclusions).Reasons);
    }

    [Fact]
    public void Reassigning_a_part_needs_one_partner_endorsed_for_all_its_workloads()
    {
        var directory = Directory(
            Eligible("declined"),
            Eligible("teams-only", Workload.Teams),
            Eligible("both", Workload.Teams, Workload.Intune) with { LastAssignedAt = Now });
        var request = Request(Workload.Teams, Workload.Intune);

        var result = Matcher.MatchPart(directory, request, request.Workloads, Ids("declined"), Now);

        Assert.Equal(["both"], PartnerIds(result));
        Assert.Empty(result.UnmatchedWorkloads);
        Assert.Equal(
            ["declined: already declined or timed out on this referral", "teams-only: not endorsed for Intune"],
            result.Exclusions.Select(e => e.ToString()).Order());
    }

    [Fact]
    public void Reassigning_a_part_with_nobody_left_matches_no_one()
    {
        var directory = Directory(Eligible("a"));
        var request = Request(Workload.Teams);

        var result = Matcher.MatchPart(directory, request, request.Workloads, Ids("a"), Now);

        Assert.Empty(result.Parts);
        Assert.Equal(request.Workloads, result.UnmatchedWorkloads);
    }
}
