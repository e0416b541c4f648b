using System.Numerics;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Partners;

namespace FastTrack.Domain.Matching;

/// <summary>SPEC §5: eligibility, existing relationship, round robin, split, no match. Pure and deterministic.</summary>
public static class Matcher
{
    private static readonly IReadOnlySet<string> NoOne = new HashSet<string>();

    /// <summary>Matches a new RFA: as few partners as possible (at most 3) covering the requested workloads.</summary>
    public static MatchResult Match(
        PartnerDirectory directory,
        MatchRequest request,
        DateTimeOffset now,
        IReadOnlySet<string>? excludedPartnerIds = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(request);
        var (candidates, exclusions, notServing) =
            Evaluate(directory, request, request.Workloads, excludedPartnerIds ?? NoOne, now, requireAll: false);

        // Partners with the same coverage are interchangeable for splitting: keep the best-ranked of each, so the
        // search below works on at most 2^k coverages rather than on thousands of partners.
        var bestPerMask = new Dictionary<int, Candidate>();
        foreach (var candidate in candidates)
        {
            if (!bestPerMask.TryGetValue(candidate.Mask, out var current) || Rank(candidate, current) < 0)
            {
                bestPerMask[candidate.Mask] = candidate;
            }
        }

        var options = bestPerMask.Values.ToList();
        options.Sort(Rank);
        var masks = options.Select(c => c.Mask).ToArray();
        var requested = WorkloadMask.Of(request.Workloads);
        var coverable = masks.Aggregate(0, (all, mask) => all | mask) & requested;
        int? fewest = Enumerable.Range(1, ProgramRules.MaxPartsPerReferral)
            .Select(n => (int?)n)
            .FirstOrDefault(n => CanCover(coverable, n!.Value, masks));
        var split = fewest > 1 || (fewest is null && candidates.Count > 0);

        var parts = new List<MatchedPart>();
        var remaining = coverable;
        while (remaining != 0 && parts.Count < ProgramRules.MaxPartsPerReferral)
        {
            // Greedy as SPEC §5 says, but each step may only take a partner that still lets the rest be covered in
            // the fewest parts: plain greedy can use three partners where two suffice.
            var partsLeftAfter = fewest - parts.Count - 1;
            var best = default(Candidate);
            var bestCover = 0;
            foreach (var option in options)
            {
                var cover = BitOperations.PopCount((uint)(option.Mask & remaining));
                if (cover > bestCover
                    && (partsLeftAfter is not { } left || CanCover(remaining & ~option.Mask, left, masks)))
                {
                    best = option;
                    bestCover = cover;
                }
            }

            var covered = best!.Mask & remaining;
            parts.Add(Part(best, WorkloadMask.ToSet(covered), candidates.Count, split));
            remaining &= ~covered;
        }

        var matched = parts.Aggregate(0, (all, p) => all | WorkloadMask.Of(p.Workloads));
        return new MatchResult(parts, WorkloadMask.ToSet(requested & ~matched), exclusions, notServing);
    }

    /// <summary>
    /// Reassignment of one part: the best partner endorsed for all its workloads, excluding everyone who declined
    /// or timed out on it. No part when nobody is left.
    /// </summary>
    public static MatchResult MatchPart(
        PartnerDirectory directory,
        MatchRequest request,
        IReadOnlySet<Workload> workloads,
        IReadOnlySet<string> excludedPartnerIds,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(workloads);
        var (candidates, exclusions, notServing) =
            Evaluate(directory, request, workloads, excludedPartnerIds, now, requireAll: true);
        if (candidates.Count == 0)
        {
            return new MatchResult([], workloads, exclusions, notServing);
        }

        var best = candidates.Aggregate((a, b) => Rank(b, a) < 0 ? b : a);
        return new MatchResult([Part(best, workloads, candidates.Count, split: false)], new HashSet<Workload>(), exclusions, notServing);
    }

    /// <summary>An eligible partner, its coverage of the wanted workloads as a bit mask, and its claim count.</summary>
    private sealed record Candidate(PartnerProfile Partner, int Mask, int Claims);

    /// <summary>Rules 2 then 3: most claimed workloads first, then longest without a referral (never first), then id.</summary>
    private static int Rank(Candidate a, Candidate b)
    {
        var byClaims = b.Claims.CompareTo(a.Claims);
        return byClaims != 0 ? byClaims : CompareByWait(a.Partner, b.Partner);
    }

    private static int CompareByWait(PartnerProfile a, PartnerProfile b)
    {
        var byWait = (a.LastAssignedAt ?? DateTimeOffset.MinValue).CompareTo(b.LastAssignedAt ?? DateTimeOffset.MinValue);
        return byWait != 0 ? byWait : string.CompareOrdinal(a.Id, b.Id);
    }

    private static (List<Candidate> Candidates, List<PartnerExclusion> Exclusions, int NotServing) Evaluate(
        PartnerDirectory directory,
        MatchRequest request,
        IReadOnlySet<Workload> workloads,
        IReadOnlySet<string> excluded,
        DateTimeOffset now,
        bool requireAll)
    {
        var wanted = WorkloadMask.Of(workloads);
        var serving = directory.Serving(request.Customer.Country, request.Customer.Language);
        var candidates = new List<Candidate>();
        var exclusions = new List<PartnerExclusion>();
        foreach (var (partner, endorsements) in serving)
        {
            var endorsed = endorsements & wanted;
            var reasons = Eligibility.CheckIgnoringEndorsements(partner, request, excluded, now, servesCountryAndLanguage: true);
            if (endorsed == 0 || (requireAll && endorsed != wanted))
            {
                reasons |= Ineligibility.NotEndorsed;
            }

            if (reasons == Ineligibility.None)
            {
                candidates.Add(new Candidate(partner, endorsed, request.ClaimedWorkloads(partner.Id)));
            }
            else
            {
                exclusions.Add(new PartnerExclusion(partner, reasons, request, workloads));
            }
        }

        return (candidates, exclusions, directory.Count - serving.Count);
    }

    /// <summary>Whether some <paramref name="partners"/> of the coverages together cover <paramref name="target"/> (depth ≤ 3).</summary>
    private static bool CanCover(int target, int partners, int[] masks)
    {
        if (target == 0)
        {
            return true;
        }

        if (partners == 0)
        {
            return false;
        }

        foreach (var mask in masks)
        {
            if ((mask & target) != 0 && CanCover(target & ~mask, partners - 1, masks))
            {
                return true;
            }
        }

        return false;
    }

    private static MatchedPart Part(Candidate chosen, IReadOnlySet<Workload> workloads, int eligible, bool split)
    {
        var partner = chosen.Partner;
        var claimed = chosen.Claims;
        var rule = claimed > 0 ? MatchRule.ExistingRelationship : MatchRule.RoundRobin;
        var why = rule == MatchRule.ExistingRelationship
            ? $"existing relationship: CPOR claim on {claimed} workload(s) of this customer"
            : $"round robin: longest without a referral among {eligible} eligible partner(s) (last referral {partner.LastAssignedAt?.ToString("O", null) ?? "never"})";
        var coverage = split
            ? $"; split because no single eligible partner is endorsed for every requested workload, this part covers {string.Join(", ", workloads.Order())}"
            : string.Empty;
        return new MatchedPart(partner, workloads, rule, why + coverage);
    }

}
