using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;
using FastTrack.Domain.Partners;

namespace FastTrack.Domain.Tests;

/// <summary>Test data: a partner eligible for <see cref="Request"/> unless a test changes one thing.</summary>
internal static class Partners
{
    public static readonly DateTimeOffset Now = new(2026, 11, 18, 14, 0, 0, TimeSpan.Zero); // a Wednesday

    public static PartnerProfile Eligible(string id, params Workload[] endorsements) => new(
        Id: id,
        Name: $"Partner {id}",
        Fpc: true,
        Frp: true,
        ReferralReady: true,
        BenefitReferrals: true,
        HomeCountry: "US",
        Countries: new HashSet<string> { "CA" },
        Languages: new HashSet<string> { "en" },
        Industries: new HashSet<Segment> { Segment.Education, Segment.Government, Segment.NonProfit },
        MinSeats: 150,
        MaxSeats: 100_000,
        Endorsements: (endorsements.Length == 0 ? Enum.GetValues<Workload>() : endorsements).ToHashSet(),
        ReferralContact: $"referrals@{id}.example",
        TimeZone: "America/New_York",
        FpmEmail: "fpm@microsoft.example");

    public static MatchRequest Request(params Workload[] workloads) => Request(ReferralType.Standard, Segment.Commercial, workloads);

    public static MatchRequest Request(ReferralType type, Segment segment, params Workload[] workloads) => new(
        new Customer("tenant-1", "tpid-1", "Contoso", "US", "en", segment, 2_000),
        type,
        (workloads.Length == 0 ? [Workload.Teams] : workloads).ToHashSet(),
        new Dictionary<string, IReadOnlySet<Workload>>());

    public static MatchRequest WithClaims(this MatchRequest request, params (string PartnerId, Workload[] Workloads)[] claims) =>
        request with { Claims = claims.ToDictionary(c => c.PartnerId, c => (IReadOnlySet<Workload>)c.Workloads.ToHashSet()) };

    public static PartnerDirectory Directory(params PartnerProfile[] partners) => new(partners);

    public static IReadOnlySet<string> None => new HashSet<string>();

    public static IReadOnlySet<string> Ids(params string[] ids) => ids.ToHashSet();
}
