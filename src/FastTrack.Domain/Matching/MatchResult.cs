using FastTrack.Domain.Catalog;
using FastTrack.Domain.Partners;

namespace FastTrack.Domain.Matching;

/// <summary>Which SPEC §5 rule chose a partner.</summary>
public enum MatchRule
{
    /// <summary>Rule 2: the partner holds a CPOR claim on the customer.</summary>
    ExistingRelationship,

    /// <summary>Rule 3: the partner has gone longest without a referral.</summary>
    RoundRobin,
}

/// <summary>One partner chosen for some of the workloads, with the rule that chose it and why, in words.</summary>
public sealed record MatchedPart(PartnerProfile Partner, IReadOnlySet<Workload> Workloads, MatchRule Rule, string Explanation);

/// <summary>A partner that could not be chosen, with every reason (flags) and the workloads it was considered for.</summary>
public sealed record PartnerExclusion(PartnerProfile Partner, Ineligibility Reasons, MatchRequest Request, IReadOnlySet<Workload> Workloads)
{
    public IReadOnlyList<string> Describe() => Eligibility.Describe(Reasons, Partner, Request, Workloads);

    public override string ToString() => $"{Partner.Id}: {string.Join("; ", Describe())}";
}

/// <summary>
/// The outcome of matching: at most <see cref="ProgramRules.MaxPartsPerReferral"/> parts, the workloads no part
/// covers, and the exclusions. <see cref="Exclusions"/> lists, with every failing reason, each partner that serves
/// the customer's country and language yet was ineligible; the other
/// <see cref="PartnersNotServingCountryAndLanguage"/> partners fail on country or language at least (ask
/// <see cref="Eligibility.Check"/> for their full list).
/// </summary>
public sealed record MatchResult(
    IReadOnlyList<MatchedPart> Parts,
    IReadOnlySet<Workload> UnmatchedWorkloads,
    IReadOnlyList<PartnerExclusion> Exclusions,
    int PartnersNotServingCountryAndLanguage);
