using BenchmarkDotNet.Attributes;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;
using FastTrack.Domain.Partners;

namespace FastTrack.Bench;

/// <summary>
/// Matching one RFA against directories of 100, 1,000 and 10,000 partners. Partners are generated from a fixed seed
/// with skewed countries and languages (many serve US / English), so the (US, en) bucket is the largest, as in life.
/// </summary>
[MemoryDiagnoser]
public class MatchingBenchmarks
{
    private const int RequestsPerInvoke = 4;
    private static readonly DateTimeOffset Now = new(2026, 11, 18, 14, 0, 0, TimeSpan.Zero);
    private static readonly string[] Countries = ["US", "US", "US", "GB", "CA", "DE", "FR", "IN", "AU", "JP", "BR", "MX", "NL", "ES", "IT", "SE"];
    private static readonly string[] Languages = ["en", "en", "en", "fr", "de", "es", "pt", "ja"];

    private PartnerProfile[] partners = [];
    private PartnerDirectory directory = null!;
    private MatchRequest[] requests = [];

    [Params(100, 1_000, 10_000)]
    public int Partners { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var workloads = Enum.GetValues<Workload>();
        partners = Enumerable.Range(1, Partners).Select(i => new PartnerProfile(
            Id: $"partner-{i:D5}",
            Name: $"Partner {i}",
            Fpc: random.NextDouble() < 0.97,
            Frp: random.NextDouble() < 0.4,
            ReferralReady: random.NextDouble() < 0.9,
            BenefitReferrals: random.NextDouble() < 0.3,
            HomeCountry: Countries[random.Next(Countries.Length)],
            Countries: Enumerable.Range(0, random.Next(4)).Select(_ => Countries[random.Next(Countries.Length)]).ToHashSet(),
            Languages: Enumerable.Range(0, 1 + random.Next(2)).Select(_ => Languages[random.Next(Languages.Length)]).ToHashSet(),
            Industries: new HashSet<Segment>(random.NextDouble() < 0.5 ? [Segment.Government, Segment.Education] : []),
            MinSeats: random.Next(2) == 0 ? 150 : 1_000,
            MaxSeats: random.Next(3) == 0 ? 5_000 : 500_000,
            Endorsements: Enumerable.Range(0, 2 + random.Next(6)).Select(_ => workloads[random.Next(workloads.Length)]).ToHashSet(),
            ReferralContact: $"referrals@partner{i}.example",
            TimeZone: "America/New_York",
            FpmEmail: "fpm@microsoft.example",
            PausedUntil: random.NextDouble() < 0.05 ? Now.AddDays(10) : null,
            LastAssignedAt: random.NextDouble() < 0.2 ? null : Now.AddMinutes(-random.Next(200_000)))).ToArray();
        directory = new PartnerDirectory(partners);

        var claims = new Dictionary<string, IReadOnlySet<Workload>> { [partners[0].Id] = new HashSet<Workload> { Workload.Teams } };
        requests =
        [
            Request("US", "en", Segment.Commercial, 2_000, claims, Workload.ExchangeOnline, Workload.Teams, Workload.Intune),
            Request("US", "en", Segment.Government, 20_000, claims, Workload.DefenderForEndpoint, Workload.Purview, Workload.EntraId, Workload.Windows, Workload.VivaGlint),
            Request("DE", "de", Segment.Commercial, 800, claims, Workload.Teams),
            Request("GB", "en", Segment.Education, 3_000, claims, Workload.SharePointOnline, Workload.VivaConnections),
        ];
    }

    private static MatchRequest Request(string country, string language, Segment segment, int seats, Dictionary<string, IReadOnlySet<Workload>> claims, params Workload[] workloads) =>
        new(new Customer("tenant", "tpid", "Contoso", country, language, segment, seats), ReferralType.Standard, workloads.ToHashSet(), claims);

    /// <summary>The matcher as the workflow calls it: an RFA against the indexed directory.</summary>
    [Benchmark(OperationsPerInvoke = RequestsPerInvoke)]
    public int MatchRfa()
    {
        var parts = 0;
        foreach (var request in requests)
        {
            parts += Matcher.Match(directory, request, Now).Parts.Count;
        }

        return parts;
    }

    /// <summary>Reassigning one part after a decline.</summary>
    [Benchmark(OperationsPerInvoke = RequestsPerInvoke)]
    public int MatchPartForReassignment()
    {
        var parts = 0;
        foreach (var request in requests)
        {
            parts += Matcher.MatchPart(directory, request, request.Workloads, new HashSet<string> { partners[0].Id }, Now).Parts.Count;
        }

        return parts;
    }

    /// <summary>For comparison: checking every partner's eligibility without the index (what matching would cost unindexed).</summary>
    [Benchmark(OperationsPerInvoke = RequestsPerInvoke)]
    public int CheckEveryPartnerUnindexed()
    {
        var eligible = 0;
        var none = new HashSet<string>();
        foreach (var request in requests)
        {
            foreach (var partner in partners)
            {
                if (Eligibility.Check(partner, request, request.Workloads, none, Now) == Ineligibility.None)
                {
                    eligible++;
                }
            }
        }

        return eligible;
    }

    /// <summary>Building the index, once per partner snapshot.</summary>
    [Benchmark]
    public int BuildDirectory() => new PartnerDirectory(partners).Count;
}
