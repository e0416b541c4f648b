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

        var requested = Mask(request.Workloads);
        var coverable = candidates.Aggregate(0, (all, c) => all | c.Mask) & requested;
        var distinctMasks = candidates.Select(c => c.Mask).Distinct().ToArray();
        int? fewest = Enumerable.Range(1, ProgramRules.MaxPartsPerReferral)
            .Select(n => (int?)n)
            .FirstOrDefault(n => CanCover(coverable, n!.Value, distinctMasks));
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
            foreach (var candidate in candidates)
            {
                var cover = BitOperations.PopCount((uint)(candidate.Mask & remaining));
                if (cover > bestCover
                    && (partsLeftAfter is not { } left || CanCover(remaining & ~candidate.Mask, left, distinctMasks)))
                {
                    best = candidate;
                    bestCover = cover;
                }
            }

            var covered = best!.Mask & remaining;
            parts.Add(Part(best, Workloads(covered), request, candidates.Count, split));
            remaining &= ~covered;
        }

        var matched = parts.Aggregate(0, (all, p) => all | Mask(p.Workloads));
        return new MatchResult(parts, Workloads(requested & ~matched), exclusions, notServing);
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
        return candidates.Count == 0
            ? new MatchResult([], workloads, exclusions, notServing)
            : new MatchResult([Part(candidates[0], workloads, request, candidates.Count, split: false)], new HashSet<Workload>(), exclusions, notServing);
    }

    /// <summary>Rules 2 then 3: most claimed workloads first, then longest without a referral (never first), then id.</summary>
    public static int CompareByPriority(PartnerProfile a, PartnerProfile b, MatchRequest request)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(request);
        var byClaims = request.ClaimedWorkloads(b.Id).CompareTo(request.ClaimedWorkloads(a.Id));
        if (byClaims != 0)
        {
            return byClaims;
        }

        var byWait = (a.LastAssignedAt ?? DateTimeOffset.MinValue).CompareTo(b.LastAssignedAt ?? DateTimeOffset.MinValue);
        return byWait != 0 ? byWait : string.CompareOrdinal(a.Id, b.Id);
    }

    private sealed record Candidate(PartnerProfile Partner, int Mask);

    private static (List<Candidate> Candidates, List<PartnerExclusion> Exclusions, int NotServing) Evaluate(
        PartnerDirectory directory,
        MatchRequest request,
        IReadOnlySet<Workload> workloads,
        IReadOnlySet<string> excluded,
        DateTimeOffset now,
        bool requireAll)
    {
        var wanted = Mask(workloads);
        var serving = directory.Serving(request.Customer.Country, request.Customer.Language);
        var candidates = new List<Candidate>();
        var exclusions = new List<PartnerExclusion>();
        foreach (var partner in serving)
        {
            var endorsed = 0;
            foreach (var workload in workloads)
            {
                if (partner.Endorsements.Contains(workload))
                {
                    endorsed |= Bit(workload);
                }
            }

            var reasons = Eligibility.CheckIgnoringEndorsements(partner, request, excluded, now);
            if (endorsed == 0 || (requireAll && endorsed != wanted))
            {
                reasons |= Ineligibility.NotEndorsed;
            }

            if (reasons == Ineligibility.None)
            {
                candidates.Add(new Candidate(partner, endorsed));
            }
            else
            {
                exclusions.Add(new PartnerExclusion(partner, reasons, request, workloads));
            }
        }

        candidates.Sort((a, b) => CompareByPriority(a.Partner, b.Partner, request));
        return (candidates, exclusions, directory.Count - serving.Count);
    }

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

    private static MatchedPart Part(Candidate chosen, IReadOnlySet<Workload> workloads, MatchRequest request, int eligible, bool split)
    {
        var partner = chosen.Partner;
        var claimed = request.ClaimedWorkloads(partner.Id);
        var rule = claimed > 0 ? MatchRule.ExistingRelationship : MatchRule.RoundRobin;
        var why = rule == MatchRule.ExistingRelationship
            ? $"existing relationship: CPOR claim on {claimed} workload(s) of this customer"
            : $"round robin: longest without a referral among {eligible} eligible partner(s) (last referral {partner.LastAssignedAt?.ToString("O", null) ?? "never"})";
        var coverage = split
            ? $"; split because no single eligible partner is endorsed for every requested workload, this part covers {string.Join(", ", workloads.Order())}"
            : string.Empty;
        return new MatchedPart(partner, workloads, rule, why + coverage);
    }

    private static int Bit(Workload workload) => 1 << (int)workload;

    private static int Mask(IEnumerable<Workload> workloads) => workloads.Aggregate(0, (mask, w) => mask | Bit(w));

    private static HashSet<Workload> Workloads(int mask) =>
        Enum.GetValues<Workload>().Where(w => (mask & Bit(w)) != 0).ToHashSet();
}
