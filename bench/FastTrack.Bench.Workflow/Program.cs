using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using FastTrack.Bench.Workflow;
using FastTrack.Testing;

// The referral workflow end to end on Azurite: referrals per second from intake (POST /api/referrals) to the partner
// notification stored by the app's local Graph endpoint, storage round trips per referral (counted by a proxy in front
// of Azurite), and raw Azurite operations per second through the same proxy, all in one run. See bench/README.md.
var options = BenchOptions.Parse(args);
Console.WriteLine($"# Referral workflow benchmark, {DateTimeOffset.UtcNow:u}");
Console.WriteLine($"referrals per round: {options.Referrals}, rounds: {options.Rounds}, concurrency: {string.Join(", ", options.Concurrency)}, " +
                  $"raw ops per kind per round: {options.RawOps}, warm-up referrals: {options.Warmup}");
Console.WriteLine($"machine: nproc = {Environment.ProcessorCount}, {Machine.CpuModel()}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
                  $".NET {Environment.Version}, load average before: {Machine.LoadAverage()}");

await using var azurite = await AzuriteInstance.StartAsync();
await using var blobProxy = new CountingProxy("blob", azurite.BlobPort);
await using var queueProxy = new CountingProxy("queue", azurite.QueuePort);
await using var tableProxy = new CountingProxy("table", azurite.TablePort);
CountingProxy[] proxies = [blobProxy, queueProxy, tableProxy];
var proxied = AzuriteInstance.ConnectionStringFor(blobProxy.Port, queueProxy.Port, tableProxy.Port);
IReadOnlyDictionary<string, long> Counts() => proxies.SelectMany(p => p.Snapshot()).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

var appSettings = options.PollingInterval is { } polling
    ? new Dictionary<string, string> { ["Triggers__PollingInterval"] = polling.ToString("c", CultureInfo.InvariantCulture) }
    : [];
await using var app = await AppProcess.StartAsync(proxied, appSettings);
using var handler = new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
using var operations = new HttpClient(handler, disposeHandler: false) { BaseAddress = app.BaseUrl };
operations.DefaultRequestHeaders.Add("x-functions-key", AppProcess.OperationsKey);
using var intake = new HttpClient(handler, disposeHandler: false) { BaseAddress = app.BaseUrl };
intake.DefaultRequestHeaders.Add("x-functions-key", AppProcess.IntakeKey);
Console.WriteLine($"Azurite (in memory) and the app (pid {app.ProcessId}, {app.BaseUrl}) are up; " +
                  $"trigger polling interval: {options.PollingInterval?.ToString() ?? "the app's default"}");

for (var i = 1; i <= 12; i++)
{
    (await operations.PutAsJsonAsync(new Uri($"/api/partners/p{i:D2}", UriKind.Relative), SampleRequests.Partner($"p{i:D2}"))).EnsureSuccessStatusCode();
}

var watcher = new MailWatcher(azurite.ConnectionString, options.MailPoll);
var runId = Guid.NewGuid().ToString("N")[..8];
var azuritePid = Cpu.AzuritePid();

// Ctrl+C or a kill would skip the disposals below and leave Azurite and the app running: stop them here.
void StopChildren(PosixSignalContext context)
{
    foreach (var pid in new[] { app.ProcessId, azuritePid ?? 0 }.Where(pid => pid > 0))
    {
        try
        {
            using var child = Process.GetProcessById(pid);
            child.Kill(entireProcessTree: true);
        }
        catch (ArgumentException)
        {
            // already gone
        }
    }
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopChildren);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopChildren);
(TimeSpan Azurite, TimeSpan App, TimeSpan Bench) CpuNow() => (
    azuritePid is { } pid ? Cpu.Of(pid) : TimeSpan.Zero, Cpu.Of(app.ProcessId), Cpu.Of(Environment.ProcessId));
var sequence = 0;

async Task<RoundResult> RunReferralsAsync(int count, int concurrency)
{
    var latencies = new double[count];
    var next = -1;
    var before = Counts();
    var cpuBefore = CpuNow();
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            var submissionId = $"bench-{runId}-{Interlocked.Increment(ref sequence)}";
            var postedAt = DateTimeOffset.UtcNow;
            var response = await intake.PostAsJsonAsync(new Uri("/api/referrals", UriKind.Relative), SampleRequests.Rfa(submissionId));
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"POST /api/referrals answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            var sentAt = await watcher.PartnerNotifiedAsync(id).WaitAsync(TimeSpan.FromSeconds(120));
            latencies[i] = (sentAt - postedAt).TotalMilliseconds;
        }
    }));
    clock.Stop();
    var cpuAfter = CpuNow();
    return new RoundResult(count, concurrency, clock.Elapsed, latencies, Stats.Delta(Counts(), before),
        cpuAfter.Azurite - cpuBefore.Azurite, cpuAfter.App - cpuBefore.App, cpuAfter.Bench - cpuBefore.Bench);
}

// Background traffic of the idle app (trigger loop polling its queues, timers and blobs), to tell it apart.
await Task.Delay(TimeSpan.FromSeconds(3));
var idleBefore = Counts();
var idleClock = Stopwatch.StartNew();
await Task.Delay(options.IdleWindow);
var idle = Stats.Delta(Counts(), idleBefore);
var idleSeconds = idleClock.Elapsed.TotalSeconds;

Console.WriteLine($"warm-up: {options.Warmup} referrals at concurrency {options.Concurrency.Max()}");
await RunReferralsAsync(options.Warmup, options.Concurrency.Max());

var rounds = new List<RoundResult>();
foreach (var concurrency in options.Concurrency)
{
    for (var round = 1; round <= options.Rounds; round++)
    {
        var result = await RunReferralsAsync(options.Referrals, concurrency);
        rounds.Add(result);
        Console.WriteLine($"  workflow c={concurrency} round {round}: {result.PerSecond:F1} referrals/s, " +
                          $"latency p50 {Stats.Median(result.LatenciesMs):F0} ms, {result.TotalRequests / (double)result.Count:F2} storage requests/referral, " +
                          $"CPU per referral: Azurite {result.AzuriteCpu.TotalMilliseconds / result.Count:F1} ms, app {result.AppCpu.TotalMilliseconds / result.Count:F1} ms, bench+proxy {result.BenchCpu.TotalMilliseconds / result.Count:F1} ms");
    }
}

// What the bench's own mailbox polling costs Azurite (it reads Azurite directly, so it is not in the request counts,
// but it shares Azurite's one thread): Azurite's CPU with the app idle, with the watcher on and then off.
async Task<double> AzuriteCpuPerSecondAsync()
{
    var before = CpuNow().Azurite;
    var clock = Stopwatch.StartNew();
    await Task.Delay(options.IdleWindow);
    return (CpuNow().Azurite - before).TotalMilliseconds / clock.Elapsed.TotalSeconds;
}

await Task.Delay(TimeSpan.FromSeconds(2));
var azuriteIdleWatching = await AzuriteCpuPerSecondAsync();
var watcherQueries = watcher.Queries;
await watcher.DisposeAsync();
var azuriteIdle = await AzuriteCpuPerSecondAsync();
Console.WriteLine($"Azurite CPU with the app idle: {azuriteIdleWatching:F0} ms/s with the bench's mailbox watcher polling " +
                  $"(every {options.MailPoll.TotalMilliseconds:F0} ms, {watcherQueries} queries in all), {azuriteIdle:F0} ms/s without it");

// Raw Azurite operations with our clients, through the same proxy the app uses.
var raw = new RawStorage(proxied, runId);
await raw.PrepareAsync();
var rawRounds = new List<RawResult>();
foreach (var concurrency in options.Concurrency)
{
    for (var round = 1; round <= options.Rounds; round++)
    {
        foreach (var kind in RawStorage.Kinds)
        {
            var result = await raw.RunAsync(kind, options.RawOps, concurrency);
            rawRounds.Add(result);
        }

        Console.WriteLine($"  raw c={concurrency} round {round}: " +
                          string.Join(", ", rawRounds.TakeLast(RawStorage.Kinds.Length).Select(r => $"{r.Kind} {r.PerSecond:F0}/s")));
    }
}

Console.WriteLine($"Azurite pid: {azuritePid?.ToString(CultureInfo.InvariantCulture) ?? "not found"}; load average after: {Machine.LoadAverage()}");
Report.Write(options, rounds, rawRounds, idle, idleSeconds, Math.Max(0, azuriteIdleWatching - azuriteIdle));

internal sealed record RoundResult(
    int Count, int Concurrency, TimeSpan Elapsed, double[] LatenciesMs, Dictionary<string, long> Requests,
    TimeSpan AzuriteCpu, TimeSpan AppCpu, TimeSpan BenchCpu)
{
    public double PerSecond => Count / Elapsed.TotalSeconds;

    public long TotalRequests => Requests.Values.Sum();
}

internal sealed record BenchOptions(
    int Referrals, int Rounds, int[] Concurrency, int RawOps, int Warmup, TimeSpan? PollingInterval, TimeSpan MailPoll, TimeSpan IdleWindow)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new BenchOptions(
            Int("referrals", 200),
            Int("rounds", 3),
            values.TryGetValue("concurrency", out var c) ? [.. c.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))] : [1, 8],
            Int("raw-ops", 1000),
            Int("warmup", 30),
            values.TryGetValue("polling-interval", out var p) ? TimeSpan.Parse(p, CultureInfo.InvariantCulture) : null,
            TimeSpan.FromMilliseconds(Int("mail-poll-ms", 20)),
            TimeSpan.FromSeconds(Int("idle-seconds", 6)));
    }
}
