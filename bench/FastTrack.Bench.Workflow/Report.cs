using System.Globalization;

namespace FastTrack.Bench.Workflow;

internal static class Report
{
    public static void Write(
        BenchOptions options, IReadOnlyList<RoundResult> rounds, IReadOnlyList<RawResult> raw,
        IReadOnlyDictionary<string, long> idle, double idleSeconds,
        double watcherAzuriteMsPerSecond)
    {
        var idleRate = idle.Values.Sum() / idleSeconds;
        Console.WriteLine();
        Console.WriteLine($"## Summary (medians of {options.Rounds} rounds)");
        Console.WriteLine();
        Console.WriteLine("| concurrency | referrals/s | latency p50 | latency p95 | storage requests/referral | of which idle background | raw ops/s (even mix) | ceiling = raw ÷ requests | workflow / ceiling | ceiling, mix-weighted | workflow / that |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var group in rounds.GroupBy(r => r.Concurrency))
        {
            var c = group.Key;
            var perSecond = Stats.Median(group.Select(r => r.PerSecond));
            var latencies = group.SelectMany(r => r.LatenciesMs).ToArray();
            var requests = Stats.Median(group.Select(r => r.TotalRequests / (double)r.Count));
            var background = Stats.Median(group.Select(r => idleRate * r.Elapsed.TotalSeconds / r.Count));
            var rawMix = RawMix(raw.Where(r => r.Concurrency == c));
            var ceiling = rawMix / requests;
            var weighted = WeightedCeiling(group.ToArray(), raw.Where(r => r.Concurrency == c).ToArray());
            Console.WriteLine(Invariant($"| {c} | {perSecond:F1} | {Stats.Median(latencies):F0} ms | {Stats.Percentile(latencies, 0.95):F0} ms | {requests:F2} | {background:F2} | {rawMix:F0} | {ceiling:F1} referrals/s | {perSecond / ceiling:P0} | {weighted:F1} referrals/s | {perSecond / weighted:P0} |"));
        }

        Console.WriteLine();
        Console.WriteLine("## CPU per referral during the workflow rounds (medians; /proc user+system time)");
        Console.WriteLine();
        Console.WriteLine("| concurrency | Azurite (node) | of which the bench's mailbox polling (estimate) | app | bench + counting proxy | Azurite busy (share of one core) | all three (share of the machine's cores) |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var group in rounds.GroupBy(r => r.Concurrency))
        {
            double PerReferral(Func<RoundResult, TimeSpan> cpu) => Stats.Median(group.Select(r => cpu(r).TotalMilliseconds / r.Count));
            var azuriteBusy = Stats.Median(group.Select(r => r.AzuriteCpu / r.Elapsed));
            var allBusy = Stats.Median(group.Select(r => (r.AzuriteCpu + r.AppCpu + r.BenchCpu) / r.Elapsed / Environment.ProcessorCount));
            var watcherPerReferral = Stats.Median(group.Select(r => watcherAzuriteMsPerSecond * r.Elapsed.TotalSeconds / r.Count));
            Console.WriteLine(Invariant($"| {group.Key} | {PerReferral(r => r.AzuriteCpu):F1} ms | {watcherPerReferral:F1} ms | {PerReferral(r => r.AppCpu):F1} ms | {PerReferral(r => r.BenchCpu):F1} ms | {azuriteBusy:P0} | {allBusy:P0} |"));
        }

        Console.WriteLine();
        Console.WriteLine("## Raw Azurite operations per second (our clients, through the counting proxy; medians)");
        Console.WriteLine();
        var concurrencies = raw.Select(r => r.Concurrency).Distinct().ToArray();
        Console.WriteLine("| operation | " + string.Join(" | ", concurrencies.Select(c => $"c = {c}")) + " |");
        Console.WriteLine("| --- |" + string.Concat(concurrencies.Select(_ => " ---: |")));
        foreach (var kind in RawStorage.Kinds)
        {
            Console.WriteLine($"| {kind} | " + string.Join(" | ", concurrencies.Select(c =>
                Stats.Median(raw.Where(r => r.Kind == kind && r.Concurrency == c).Select(r => r.PerSecond)).ToString("F0", CultureInfo.InvariantCulture))) + " |");
        }

        Console.WriteLine("| even mix (harmonic mean) | " + string.Join(" | ", concurrencies.Select(c =>
            RawMix(raw.Where(r => r.Concurrency == c)).ToString("F0", CultureInfo.InvariantCulture))) + " |");

        Console.WriteLine();
        Console.WriteLine("## Storage requests per referral, by kind (all rounds pooled)");
        Console.WriteLine();
        var groups = rounds.GroupBy(r => r.Concurrency).ToArray();
        var kinds = rounds.SelectMany(r => r.Requests.Keys).Concat(idle.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();
        Console.WriteLine("| request | " + string.Join(" | ", groups.Select(g => $"c = {g.Key}")) + " | idle app, per second |");
        Console.WriteLine("| --- |" + string.Concat(groups.Select(_ => " ---: |")) + " ---: |");
        foreach (var kind in kinds)
        {
            Console.WriteLine($"| `{kind}` | " + string.Join(" | ", groups.Select(g =>
                (g.Sum(r => r.Requests.GetValueOrDefault(kind)) / (double)g.Sum(r => r.Count)).ToString("F2", CultureInfo.InvariantCulture))) +
                $" | {(idle.GetValueOrDefault(kind) / idleSeconds).ToString("F2", CultureInfo.InvariantCulture)} |");
        }

        foreach (var service in new[] { "table", "queue", "blob" })
        {
            Console.WriteLine($"| **{service} total** | " + string.Join(" | ", groups.Select(g =>
                (g.Sum(r => r.Requests.Where(kv => RequestKinds.Service(kv.Key) == service).Sum(kv => kv.Value)) / (double)g.Sum(r => r.Count)).ToString("F2", CultureInfo.InvariantCulture))) +
                $" | {(idle.Where(kv => RequestKinds.Service(kv.Key) == service).Sum(kv => kv.Value) / idleSeconds).ToString("F2", CultureInfo.InvariantCulture)} |");
        }

        Console.WriteLine($"| **all** | " + string.Join(" | ", groups.Select(g =>
            (g.Sum(r => r.TotalRequests) / (double)g.Sum(r => r.Count)).ToString("F2", CultureInfo.InvariantCulture))) +
            $" | {idleRate.ToString("F2", CultureInfo.InvariantCulture)} |");
    }

    /// <summary>
    /// The bare orchestration (one activity) next to the referral workflow, measured alternately in the same run, and
    /// the issue's aims: at most 40 storage requests per referral, at least 40 % of the bare orchestration's throughput.
    /// </summary>
    public static void WriteBare(
        IReadOnlyList<RoundResult> bare, IReadOnlyList<RoundResult> referrals, IReadOnlyDictionary<string, long> idle, double idleSeconds, string appTaskHub)
    {
        const double maxRequests = 40;
        const double minShare = 0.40;
        Console.WriteLine();
        Console.WriteLine("## Bare Durable orchestration (one activity; same provider settings, own task hub, same Azurite and proxy)");
        Console.WriteLine();
        Console.WriteLine("| concurrency | orchestrations/s (median) | rounds | start → completion p50 | p95 | storage requests/orchestration | CPU per orchestration: Azurite | host | bench + proxy |");
        Console.WriteLine("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var group in bare.GroupBy(r => r.Concurrency))
        {
            var latencies = group.SelectMany(r => r.LatenciesMs).ToArray();
            double PerItem(Func<RoundResult, TimeSpan> cpu) => Stats.Median(group.Select(r => cpu(r).TotalMilliseconds / r.Count));
            Console.WriteLine(Invariant($"| {group.Key} | {Stats.Median(group.Select(r => r.PerSecond)):F1} | {Rounds(group)} | {Stats.Median(latencies):F0} ms | {Stats.Percentile(latencies, 0.95):F0} ms | {Pooled(group):F2} | {PerItem(r => r.AzuriteCpu):F1} ms | {PerItem(r => r.AppCpu):F1} ms | {PerItem(r => r.BenchCpu):F1} ms |"));
        }

        Console.WriteLine();
        Console.WriteLine("## Referral workflow vs bare orchestration (same run, rounds alternating)");
        Console.WriteLine();
        Console.WriteLine("| concurrency | referrals/s (median) | rounds | bare orchestrations/s (median) | rounds | referral ÷ bare (medians) | per round pair | requests/referral | requests/bare orchestration | aim: ≤ 40 requests | aim: ≥ 40 % of bare |");
        Console.WriteLine("| ---: | ---: | --- | ---: | --- | ---: | --- | ---: | ---: | --- | --- |");
        foreach (var group in referrals.GroupBy(r => r.Concurrency))
        {
            var c = group.Key;
            var bareGroup = bare.Where(r => r.Concurrency == c).ToArray();
            var referralRate = Stats.Median(group.Select(r => r.PerSecond));
            var bareRate = Stats.Median(bareGroup.Select(r => r.PerSecond));
            var share = referralRate / bareRate;
            var pairs = string.Join(", ", group.Zip(bareGroup, (r, b) => (r.PerSecond / b.PerSecond).ToString("P0", CultureInfo.InvariantCulture)));
            var requests = Pooled(group);
            Console.WriteLine(Invariant($"| {c} | {referralRate:F1} | {Rounds(group)} | {bareRate:F1} | {Rounds(bareGroup)} | {share:P0} | {pairs} | {requests:F2} | {Pooled(bareGroup):F2} | {(requests <= maxRequests ? "met" : "NOT met")} | {(share >= minShare ? "met" : "NOT met")} |"));
        }

        Console.WriteLine();
        Console.WriteLine($"## Storage requests per referral: the Durable task hub ({appTaskHub}…) vs the app's own (all rounds pooled)");
        Console.WriteLine();
        var groups = referrals.GroupBy(r => r.Concurrency).ToArray();
        Console.WriteLine("| part | " + string.Join(" | ", groups.Select(g => $"c = {g.Key}")) + " |");
        Console.WriteLine("| --- |" + string.Concat(groups.Select(_ => " ---: |")));
        bool IsHub(string kind) => kind.Contains(appTaskHub, StringComparison.Ordinal);
        foreach (var (label, filter) in new (string, Func<string, bool>)[]
                 {
                     ("Durable task hub: table", k => IsHub(k) && RequestKinds.Service(k) == "table"),
                     ("Durable task hub: queue", k => IsHub(k) && RequestKinds.Service(k) == "queue"),
                     ("Durable task hub: blob", k => IsHub(k) && RequestKinds.Service(k) == "blob"),
                     ("app: table", k => !IsHub(k) && RequestKinds.Service(k) == "table"),
                     ("app: queue", k => !IsHub(k) && RequestKinds.Service(k) == "queue"),
                     ("app: blob", k => !IsHub(k) && RequestKinds.Service(k) == "blob"),
                     ("**all**", _ => true),
                 })
        {
            Console.WriteLine($"| {label} | " + string.Join(" | ", groups.Select(g =>
                (g.Sum(r => r.Requests.Where(kv => filter(kv.Key)).Sum(kv => kv.Value)) / (double)g.Sum(r => r.Count)).ToString("F2", CultureInfo.InvariantCulture))) + " |");
        }

        Console.WriteLine();
        Console.WriteLine("## Storage requests per bare orchestration, by kind (all rounds pooled)");
        Console.WriteLine();
        var bareGroups = bare.GroupBy(r => r.Concurrency).ToArray();
        var kinds = bare.SelectMany(r => r.Requests.Keys).Concat(idle.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();
        Console.WriteLine("| request | " + string.Join(" | ", bareGroups.Select(g => $"c = {g.Key}")) + " | idle host, per second |");
        Console.WriteLine("| --- |" + string.Concat(bareGroups.Select(_ => " ---: |")) + " ---: |");
        foreach (var kind in kinds)
        {
            Console.WriteLine($"| `{kind}` | " + string.Join(" | ", bareGroups.Select(g =>
                (g.Sum(r => r.Requests.GetValueOrDefault(kind)) / (double)g.Sum(r => r.Count)).ToString("F2", CultureInfo.InvariantCulture))) +
                $" | {(idle.GetValueOrDefault(kind) / idleSeconds).ToString("F2", CultureInfo.InvariantCulture)} |");
        }

        Console.WriteLine($"| **all** | " + string.Join(" | ", bareGroups.Select(g => Pooled(g).ToString("F2", CultureInfo.InvariantCulture))) +
                          $" | {(idle.Values.Sum() / idleSeconds).ToString("F2", CultureInfo.InvariantCulture)} |");
    }

    private static double Pooled(IEnumerable<RoundResult> rounds) =>
        rounds.Sum(r => r.TotalRequests) / (double)rounds.Sum(r => r.Count);

    private static string Rounds(IEnumerable<RoundResult> rounds) =>
        string.Join(", ", rounds.Select(r => r.PerSecond.ToString("F1", CultureInfo.InvariantCulture)));

    /// <summary>
    /// Referrals per second if each of a referral's storage requests cost exactly a raw operation of its category
    /// (writes and batches as inserts, entity reads and queries as point reads, queue sends as puts, receives and
    /// deletes as a third of a get+delete+put), done one after another at the same concurrency.
    /// </summary>
    private static double WeightedCeiling(RoundResult[] rounds, RawResult[] raw)
    {
        double Rate(string kind) => Stats.Median(raw.Where(r => r.Kind == kind).Select(r => r.PerSecond));
        var referrals = rounds.Sum(r => r.Count);
        var seconds = rounds.SelectMany(r => r.Requests).Sum(kv =>
        {
            var parts = kv.Key.Split(' ');
            var category = (parts[0], parts[1]) switch
            {
                ("table", "GET") => "table point read",
                ("queue", "POST") => "queue put",
                ("queue", _) => "queue get+delete+put",
                _ => "table insert",
            };
            return kv.Value / Rate(category);
        });
        return referrals / seconds;
    }

    /// <summary>Operations per second when the kinds are done in equal numbers: the harmonic mean of their rates.</summary>
    private static double RawMix(IEnumerable<RawResult> results)
    {
        var medians = results.GroupBy(r => r.Kind).Select(g => Stats.Median(g.Select(r => r.PerSecond))).ToArray();
        return medians.Length / medians.Sum(rate => 1 / rate);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
