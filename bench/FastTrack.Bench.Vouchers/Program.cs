using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using FastTrack.Bench.Vouchers;
using FastTrack.Bench.Workflow;
using FastTrack.Core.Storage;
using FastTrack.Testing;

// The voucher expiry sweep's search for due work, with the date index (VoucherCalendar.DueAsync) and by reading every
// voucher's state row, on the same data in one Azurite per fleet size: time, entities read, and storage requests
// (counted by a proxy in front of Azurite's table service). See bench/README.md.
var options = SweepOptions.Parse(args);
var now = DateTimeOffset.UtcNow;
Console.WriteLine($"# Voucher expiry sweep benchmark, {now:u}");
Console.WriteLine($"cases: {string.Join(", ", options.Cases.Select(c => $"{c.Vouchers:N0} vouchers with 1 in {c.DueEvery:N0} due"))}, " +
                  $"rounds: {options.Rounds} (after one warm-up), seeding concurrency: {options.Concurrency}");
Console.WriteLine($"machine: nproc = {Environment.ProcessorCount}, {Machine.CpuModel()}, {RuntimeInformation.OSDescription}, " +
                  $".NET {Environment.Version}, load average before: {Machine.LoadAverage()}");

// Ctrl+C or a kill would skip the disposals below and leave Azurite running: stop it here.
int? azuritePid = null;
void StopAzurite(PosixSignalContext context)
{
    try
    {
        using var azurite = Process.GetProcessById(azuritePid ?? 0);
        azurite.Kill(entireProcessTree: true);
    }
    catch (ArgumentException)
    {
        // not started or already gone
    }
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopAzurite);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopAzurite);

var rounds = new List<Round>();
foreach (var (vouchers, dueEvery) in options.Cases)
{
    var fleet = new VoucherFleet(vouchers, dueEvery, DateOnly.FromDateTime(now.UtcDateTime));
    Console.WriteLine();
    Console.WriteLine($"## {fleet.Count:N0} vouchers, {fleet.Due:N0} due");
    await using var azurite = await AzuriteInstance.StartAsync();
    azuritePid = Cpu.AzuritePid();
    await using var proxy = new CountingProxy("table", azurite.TablePort);
    var storage = StorageAccount.FromConnectionString(AzuriteInstance.ConnectionStringFor(azurite.BlobPort, azurite.QueuePort, proxy.Port));

    var seeding = Stopwatch.StartNew();
    await fleet.SeedAsync(storage, options.Concurrency);
    Console.WriteLine($"seeded in {seeding.Elapsed.TotalSeconds:F0} s; load average: {Machine.LoadAverage()}");

    long Requests() => proxy.Snapshot().Values.Sum();
    (TimeSpan Azurite, TimeSpan Bench) CpuNow() => (Cpu.Of(azuritePid ?? 0), Cpu.Of(Environment.ProcessId));
    var work = new DueWork(storage, now);
    (string Sweep, Func<Task<Found>> Find)[] sweeps = [("index", work.ByIndexAsync), ("full scan", work.ByFullScanAsync)];
    for (var round = 0; round <= options.Rounds; round++)
    {
        var found = new List<Found>();
        foreach (var (sweep, find) in sweeps)
        {
            var (requestsBefore, cpuBefore) = (Requests(), CpuNow());
            var clock = Stopwatch.StartNew();
            found.Add(await find());
            clock.Stop();
            var (requestsAfter, cpuAfter) = (Requests(), CpuNow());
            var result = new Round(fleet.Count, fleet.Due, sweep, round, clock.Elapsed, found[^1].EntitiesRead, found[^1].Due.Count,
                requestsAfter - requestsBefore, cpuAfter.Azurite - cpuBefore.Azurite, cpuAfter.Bench - cpuBefore.Bench);
            Console.WriteLine(Report.Line(result));
            if (round > 0)
            {
                rounds.Add(result);
            }
        }

        // Both must find exactly the tasks seeded as due, or the comparison means nothing.
        if (found.Any(f => f.Due.Count != fleet.Due) || !found[0].Due.ToHashSet().SetEquals(found[1].Due))
        {
            throw new InvalidOperationException($"The sweeps disagree: {string.Join(" vs ", found.Select(f => f.Due.Count))} tasks found, {fleet.Due} seeded as due.");
        }
    }
}

Console.WriteLine($"load average after: {Machine.LoadAverage()}");
Report.Write(rounds);

/// <summary>One sweep's search for due work, measured.</summary>
internal sealed record Round(
    int Vouchers, int Due, string Sweep, int Number, TimeSpan Elapsed, int EntitiesRead, int Found, long Requests,
    TimeSpan AzuriteCpu, TimeSpan BenchCpu);

internal sealed record SweepOptions((int Vouchers, int DueEvery)[] Cases, int Rounds, int Concurrency)
{
    /// <summary><c>--cases 10000:1,100000:1,100000:0.1</c> (vouchers:percent due), <c>--rounds 7</c>, <c>--concurrency 16</c> (seeding).</summary>
    public static SweepOptions Parse(string[] args)
    {
        string Value(string name, string fallback) =>
            args.SkipWhile(a => a != "--" + name).Skip(1).FirstOrDefault() ?? fallback;
        int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
        var cases = Value("cases", "10000:1,100000:1,100000:0.1").Split(',').Select(c => c.Split(':')).Select(c =>
            (Int(c[0]), (int)Math.Round(100 / double.Parse(c[1], CultureInfo.InvariantCulture))));
        return new SweepOptions([.. cases], Int(Value("rounds", "7")), Int(Value("concurrency", "16")));
    }
}
