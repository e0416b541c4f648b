using System.Globalization;
using FastTrack.Bench.Workflow;

namespace FastTrack.Bench.Vouchers;

/// <summary>Markdown tables of the measured rounds: medians with their spread, and ratios from this one run.</summary>
internal static class Report
{
    public static string Line(Round r) => string.Join(", ",
        r.Number == 0 ? "  warm-up" : Invariant($"  round {r.Number}"),
        Invariant($"{r.Sweep}: {r.Elapsed.TotalMilliseconds:F0} ms"),
        Invariant($"{r.EntitiesRead:N0} entities read"),
        Invariant($"{r.Found:N0} tasks due"),
        Invariant($"{r.Requests} requests"),
        Invariant($"CPU: Azurite {r.AzuriteCpu.TotalMilliseconds:F0} ms, bench {r.BenchCpu.TotalMilliseconds:F0} ms"));

    public static void Write(IReadOnlyList<Round> rounds)
    {
        var cases = rounds.GroupBy(r => (r.Vouchers, r.Due)).ToArray();
        Console.WriteLine();
        Console.WriteLine($"## Time to find the due work (medians of {rounds.Max(r => r.Number)} rounds)");
        Console.WriteLine();
        Console.WriteLine("| vouchers | due | sweep | time | min – max | entities read | requests (pages) | Azurite CPU | bench CPU |");
        Console.WriteLine("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var sweep in cases.SelectMany(c => c.GroupBy(r => r.Sweep)))
        {
            var (first, times) = (sweep.First(), sweep.Select(r => r.Elapsed.TotalMilliseconds).ToArray());
            Row($"{first.Vouchers:N0}", $"{first.Due:N0}", $"{sweep.Key}", $"{Stats.Median(times):F0} ms", $"{times.Min():F0} – {times.Max():F0} ms",
                $"{first.EntitiesRead:N0}", $"{Stats.Median(sweep.Select(r => (double)r.Requests)):F0}",
                $"{Stats.Median(sweep.Select(r => r.AzuriteCpu.TotalMilliseconds)):F0} ms", $"{Stats.Median(sweep.Select(r => r.BenchCpu.TotalMilliseconds)):F0} ms");
        }

        Console.WriteLine();
        Console.WriteLine("## Full scan ÷ index, same data, same run");
        Console.WriteLine();
        Console.WriteLine("| vouchers | due | time (ratio of medians) | time, per round (min – max) | entities read | requests |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var c in cases)
        {
            var (index, scan) = (c.Where(r => r.Sweep == "index").ToArray(), c.Where(r => r.Sweep == "full scan").ToArray());
            var perRound = index.Zip(scan, (i, s) => s.Elapsed / i.Elapsed).ToArray();
            Row($"{c.Key.Vouchers:N0}", $"{c.Key.Due:N0}", $"× {MedianMs(scan) / MedianMs(index):F0}", $"× {perRound.Min():F0} – {perRound.Max():F0}",
                $"× {scan[0].EntitiesRead / (double)index[0].EntitiesRead:F0}", $"× {MedianRequests(scan) / MedianRequests(index):F0}");
        }

        if (cases.Length < 2)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine($"## Growth from {cases[0].Key.Vouchers:N0} vouchers ({cases[0].Key.Due:N0} due), medians");
        Console.WriteLine();
        Console.WriteLine("| vouchers | due | index time | full scan time | index requests | full scan requests |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var c in cases.Skip(1))
        {
            double Growth(string sweep, Func<Round[], double> measure) =>
                measure([.. c.Where(r => r.Sweep == sweep)]) / measure([.. cases[0].Where(r => r.Sweep == sweep)]);
            Row($"{c.Key.Vouchers:N0}", $"{c.Key.Due:N0}", $"× {Growth("index", MedianMs):F1}", $"× {Growth("full scan", MedianMs):F1}",
                $"× {Growth("index", MedianRequests):F1}", $"× {Growth("full scan", MedianRequests):F1}");
        }
    }

    private static double MedianMs(Round[] rounds) => Stats.Median(rounds.Select(r => r.Elapsed.TotalMilliseconds));

    private static double MedianRequests(Round[] rounds) => Stats.Median(rounds.Select(r => (double)r.Requests));

    private static void Row(params FormattableString[] cells) =>
        Console.WriteLine("| " + string.Join(" | ", cells.Select(Invariant)) + " |");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
