using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;
using FastTrack.Domain.Partners;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static FastTrack.Domain.Tests.Partners;

namespace FastTrack.Domain.Tests.Matching;

public class MatcherProperties
{
    private static readonly Workload[] Pool = [Workload.Teams, Workload.Intune, Workload.Purview, Workload.EntraId, Workload.Windows];

    public sealed record Scenario(PartnerProfile[] Partners, MatchRequest Request, IReadOnlySet<string> Excluded)
    {
        public override string ToString() =>
            $"request [{string.Join(",", Request.Workloads)}] excluded [{string.Join(",", Excluded)}] partners " +
            string.Join(" ", Partners.Select(p => $"{p.Id}{{{string.Join(",", p.Endorsements)}}}{(p.PausedUntil is null ? "" : " paused")}{(p.Fpc ? "" : " non-FPC")}"));
    }

    private static Gen<PartnerProfile> PartnerGen(int index) =>
        from endorsements in Gen.SubListOf(Pool)
        from paused in Gen.Elements(false, false, false, true)
        from fpc in Gen.Elements(true, true, true, false)
        from daysSinceReferral in Gen.Choose(-1, 5)
        from home in Gen.Elements("US", "US", "CA")
        from countries in Gen.SubListOf("US", "CA")
        from languages in Gen.Elements<string[]>(["en"], ["en"], ["en", "fr"], ["fr"])
        select Eligible($"p{index}", [.. endorsements]) with
        {
            HomeCountry = home,
            Countries = countries.ToHashSet(),
            Languages = languages.ToHashSet(),
            Fpc = fpc,
            PausedUntil = paused ? Now.AddDays(1) : null,
            LastAssignedAt = daysSinceReferral < 0 ? null : Now.AddDays(-daysSinceReferral),
        };

    private static readonly Gen<Scenario> Scenarios =
        from count in Gen.Choose(0, 8)
        from partners in Gen.CollectToArray(Enumerable.Range(1, count), PartnerGen)
        from requested in Gen.NonEmptyListOf(Gen.Elements(Pool))
        from excluded in Gen.SubListOf(partners.Select(p => p.Id))
        select new Scenario(partners, Request([.. requested.Distinct()]), excluded.ToHashSet());

    private static MatchResult Run(Scenario s) => Matcher.Match(Directory(s.Partners), s.Request, Now, s.Excluded);

    [Fact]
    public void Every_chosen_partner_is_eligible_endorsed_unpaused_and_not_excluded_for_its_part() =>
        Properties.Hold(Scenarios, s =>
        {
            foreach (var part in Run(s).Parts)
            {
                Assert.True(part.Workloads.All(part.Partner.Endorsements.Contains), $"{part.Partner.Id} is not endorsed for its part");
                Assert.False(part.Partner.IsPaused(Now));
                Assert.DoesNotContain(part.Partner.Id, s.Excluded);
                Assert.Equal(Ineligibility.None, Eligibility.Check(part.Partner, s.Request, part.Workloads, s.Excluded, Now));
            }
        });

    [Fact]
    public void Parts_and_unmatched_workloads_partition_the_request_in_at_most_three_parts() =>
        Properties.Hold(Scenarios, s =>
        {
            var result = Run(s);
            var assigned = result.Parts.SelectMany(p => p.Workloads).Concat(result.UnmatchedWorkloads).ToList();
            Assert.Equal(assigned.Count, assigned.Distinct().Count());
            Assert.Equal(s.Request.Workloads.Order(), assigned.Order());
            Assert.InRange(result.Parts.Count, 0, ProgramRules.MaxPartsPerReferral);
            Assert.Equal(result.Parts.Count, result.Parts.Select(p => p.Partner.Id).Distinct().Count());
        });

    [Fact]
    public void The_split_uses_the_fewest_partners_a_brute_force_search_finds() =>
        Properties.Hold(Scenarios, s =>
        {
            var eligible = s.Partners
                .Where(p => Eligibility.Check(p, s.Request, new HashSet<Workload>(), s.Excluded, Now) == Ineligibility.None)
                .Select(p => p.Endorsements.Intersect(s.Request.Workloads).ToHashSet())
                .ToList();
            var coverable = eligible.SelectMany(e => e).ToHashSet();
            var fewest = Enumerable.Range(0, ProgramRules.MaxPartsPerReferral + 1)
                .Select(n => (int?)n)
                .FirstOrDefault(n => Subsets(eligible, n!.Value).Any(subset => coverable.IsSubsetOf(subset.SelectMany(e => e))));

            var result = Run(s);

            if (fewest is { } best)
            {
                Assert.Equal(best, result.Parts.Count);
                Assert.Equal(s.Request.Workloads.Except(coverable).Order(), result.UnmatchedWorkloads.Order());
            }
            else
            {
                Assert.Equal(ProgramRules.MaxPartsPerReferral, result.Parts.Count);
            }
        },
        tests: 1000);

    [Fact]
    public void Reassignment_picks_the_best_ranked_eligible_partner_and_explains_everyone_else() =>
        Properties.Hold(Scenarios, s =>
        {
            var result = Matcher.MatchPart(Directory(s.Partners), s.Request, s.Request.Workloads, s.Excluded, Now);

            var verdicts = s.Partners.ToDictionary(p => p.Id, p => Eligibility.Check(p, s.Request, s.Request.Workloads, s.Excluded, Now));
            var expected = s.Partners
                .Where(p => verdicts[p.Id] == Ineligibility.None)
                .OrderBy(p => p.LastAssignedAt ?? DateTimeOffset.MinValue)
                .ThenBy(p => p.Id, StringComparer.Ordinal)
                .FirstOrDefault();
            Assert.Equal(expected?.Id, result.Parts.SingleOrDefault()?.Partner.Id);
            foreach (var exclusion in result.Exclusions)
            {
                Assert.Equal(verdicts[exclusion.Partner.Id], exclusion.Reasons);
            }

            var servingNeither = verdicts.Values.Count(v => (v & (Ineligibility.CountryNotServed | Ineligibility.LanguageNotServed)) != 0);
            Assert.Equal(servingNeither, result.PartnersNotServingCountryAndLanguage);
            Assert.Equal(verdicts.Values.Count(v => v != Ineligibility.None) - servingNeither, result.Exclusions.Count);
        });

    [Fact]
    public void Round_robin_is_fair_over_many_identical_referrals() =>
        Properties.Hold(
            Gen.Choose(1, 7).Zip(Gen.Choose(1, 60)),
            ((int Partners, int Referrals) t) =>
            {
                var assigned = CountAssignments(t.Partners, t.Referrals);
                Assert.True(assigned.Max() - assigned.Min() <= 1, $"counts {string.Join(",", assigned)}");
            },
            tests: 100);

    private static int[] CountAssignments(int partnerCount, int referrals)
    {
        var partners = Enumerable.Range(1, partnerCount).Select(i => Eligible($"p{i}")).ToArray();
        var counts = new Dictionary<string, int>();
        var now = Now;
        for (var i = 0; i < referrals; i++)
        {
            var chosen = Matcher.Match(Directory(partners), Request(), now).Parts[0].Partner.Id;
            counts[chosen] = counts.GetValueOrDefault(chosen) + 1;
            partners = partners.Select(p => p.Id == chosen ? p with { LastAssignedAt = now } : p).ToArray();
            now = now.AddMinutes(7);
        }

        return partners.Select(p => counts.GetValueOrDefault(p.Id)).ToArray();
    }

    private static IEnumerable<List<T>> Subsets<T>(List<T> items, int size) =>
        size == 0 ? [[]]
        : Enumerable.Range(0, items.Count).SelectMany(i => Subsets(items[(i + 1)..], size - 1).Select(rest => rest.Prepend(items[i]).ToList()));
}
