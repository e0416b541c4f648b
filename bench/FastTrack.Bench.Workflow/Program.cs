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
// of Azurite), the same for a bare Durable orchestration with one activity on the same engine and settings (the
// engine's own ceiling), and raw Azurite operations per second through the same proxy, all in one run. See bench/README.md.
if (args.Length > 0 && args[0] == BareHost.Flag)
{
    await BareHost.RunAsync(args);
    return;
}

var options = BenchOptions.Parse(args);
Console.WriteLine($"# Referral workflow benchmark, {DateTimeOffset.UtcNow:u}");
Console.WriteLine($"referrals per round: {options.Referrals}, rounds: {options.Rounds}, concurrency: {string.Join(", ", options.Concurrency)}, " +
                  $"raw ops per kind per round: {options.RawOps}, warm-up referrals: {options.Warmup}, orchestrations per bare round: {options.Orchestrations}, " +
                  $"leftover queue messages purged between rounds: {options.PurgeLeftovers}");
Console.WriteLine($"machine: nproc = {Environment.ProcessorCount}, {Machine.CpuModel()}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
                  $".NET {Environment.Version}, load average before: {Machine.LoadAverage()}");

await using var azurite = await AzuriteInstance.StartAsync();
await using var blobProxy = new CountingProxy("blob", azurite.BlobPort);
await using var queueProxy = new CountingProxy("queue", azurite.QueuePort);
await using var tableProxy = new CountingProxy("table", azurite.TablePort);
CountingProxy[] proxies = [blobProxy, queueProxy, tableProxy];
var proxied = AzuriteInstance.ConnectionStringFor(blobProxy.Port, queueProxy.Port, tableProxy.Port);
IReadOnlyDictionary<string, long> Counts() => proxies.SelectMany(p => p.Snapshot()).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

// Two task hubs on the one Azurite: the app's, and the bare orchestration's. Each round counts only its own hub's
// requests plus (for the app) the app's own tables, queues and blobs; the other process's idle polling is left out.
const string appTaskHub = "fasttrack";
const string bareTaskHub = "benchbare";
static bool IsBare(string kind) => kind.Contains(bareTaskHub, StringComparison.Ordinal);
var appSettings = new Dictionary<string, string> { ["Durable__TaskHubName"] = appTaskHub };
if (options.PollingInterval is { } polling)
{
    appSettings["Triggers__PollingInterval"] = polling.ToString("c", CultureInfo.InvariantCulture);
}

await using var app = await AppProcess.StartAsync(proxied, appSettings);
await using var bare = await AppProcess.StartBareHostAsync(proxied, bareTaskHub);
using var bareClient = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = bare.BaseUrl, Timeout = TimeSpan.FromMinutes(3) };
using var handler = new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
using var operations = new HttpClient(handler, disposeHandler: false) { BaseAddress = app.BaseUrl };
operations.DefaultRequestHeaders.Add("x-functions-key", AppProcess.OperationsKey);
using var intake = new HttpClient(handler, disposeHandler: false) { BaseAddress = app.BaseUrl };
intake.DefaultRequestHeaders.Add("x-functions-key", AppProcess.IntakeKey);
Console.WriteLine($"Azurite (in memory), the app (pid {app.ProcessId}, {app.BaseUrl}, task hub {appTaskHub}) and the bare Durable host " +
                  $"(pid {bare.ProcessId}, {bare.BaseUrl}, task hub {bareTaskHub}) are up; " +
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
    foreach (var pid in new[] { app.ProcessId, bare.ProcessId, azuritePid ?? 0 }.Where(pid => pid > 0))
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
(TimeSpan Azurite, TimeSpan App, TimeSpan Bench) CpuNow(int? hostPid = null) => (
    azuritePid is { } pid ? Cpu.Of(pid) : TimeSpan.Zero, Cpu.Of(hostPid ?? app.ProcessId), Cpu.Of(Environment.ProcessId));
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
    return new RoundResult(count, concurrency, clock.Elapsed, latencies, Only(Stats.Delta(Counts(), before), bare: false),
        cpuAfter.Azurite - cpuBefore.Azurite, cpuAfter.App - cpuBefore.App, cpuAfter.Bench - cpuBefore.Bench);
}

// The bare orchestration, measured as the referral is: closed loop, from the start request to the engine's stored
// completion (reported by the bare host, so that waiting costs no storage request).
async Task<RoundResult> RunBareAsync(int count, int concurrency)
{
    var latencies = new double[count];
    var next = -1;
    var before = Counts();
    var cpuBefore = CpuNow(bare.ProcessId);
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            var id = $"bare-{runId}-{Interlocked.Increment(ref sequence)}";
            var startedAt = DateTimeOffset.UtcNow;
            var response = await bareClient.PostAsync(new Uri($"/start/{id}", UriKind.Relative), null);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"POST /start answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            var done = (await bareClient.GetStringAsync(new Uri($"/done/{id}", UriKind.Relative))).Split(' ');
            if (done[1] != "Completed")
            {
                throw new InvalidOperationException($"The bare orchestration {id} ended {done[1]}.");
            }

            var completedAt = new DateTimeOffset(long.Parse(done[0], CultureInfo.InvariantCulture), TimeSpan.Zero);
            latencies[i] = (completedAt - startedAt).TotalMilliseconds;
        }
    }));
    clock.Stop();
    var cpuAfter = CpuNow(bare.ProcessId);
    return new RoundResult(count, concurrency, clock.Elapsed, latencies, Only(Stats.Delta(Counts(), before), bare: true),
        cpuAfter.Azurite - cpuBefore.Azurite, cpuAfter.App - cpuBefore.App, cpuAfter.Bench - cpuBefore.Bench);
}

static Dictionary<string, long> Only(Dictionary<string, long> counts, bool bare) =>
    counts.Where(kv => IsBare(kv.Key) == bare).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

// Background traffic of the idle app (trigger loop polling its queues, timers and blobs), to tell it apart.
await Task.Delay(TimeSpan.FromSeconds(3));
var idleBefore = Counts();
var idleClock = Stopwatch.StartNew();
await Task.Delay(options.IdleWindow);
var idleAll = Stats.Delta(Counts(), idleBefore);
var idle = Only(idleAll, bare: false);
var bareIdle = Only(idleAll, bare: true);
var idleSeconds = idleClock.Elapsed.TotalSeconds;

Console.WriteLine($"warm-up: {options.Warmup} referrals at concurrency {options.Concurrency.Max()}");
await RunReferralsAsync(options.Warmup, options.Concurrency.Max());
Console.WriteLine($"warm-up: {options.Warmup} bare orchestrations at concurrency {options.Concurrency.Max()}");
await RunBareAsync(options.Warmup, options.Concurrency.Max());

// Azurite's in-memory queue store scans every message of the account on each receive, so messages nobody will take
// during the run make every later receive (the engine polls its queues several times a second) slower and slower:
// each referral leaves its integration event in referral-events (nothing consumes it locally) and its SLA timer, due
// in two business days, in the app's control queue. After each round, once the app is quiet, the bench clears both
// queues directly (not through the proxy). Referrals already notified lose only timers that would fire after the run.
async Task PurgeLeftoversAsync()
{
    if (!options.PurgeLeftovers)
    {
        return;
    }

    await Task.Delay(TimeSpan.FromSeconds(2));
    foreach (var queue in new[] { "referral-events", $"{appTaskHub}-control-00" })
    {
        await new Azure.Storage.Queues.QueueClient(azurite.ConnectionString, queue).ClearMessagesAsync();
    }
}

// Referral and bare rounds alternate, so that both see the same load from the rest of the (shared) machine.
await PurgeLeftoversAsync();
var rounds = new List<RoundResult>();
var bareRounds = new List<RoundResult>();
foreach (var concurrency in options.Concurrency)
{
    for (var round = 1; round <= options.Rounds; round++)
    {
        var result = await RunReferralsAsync(options.Referrals, concurrency);
        rounds.Add(result);
        Console.WriteLine($"  workflow c={concurrency} round {round}: {result.PerSecond:F1} referrals/s, " +
                          $"latency p50 {Stats.Median(result.LatenciesMs):F0} ms, {result.TotalRequests / (double)result.Count:F2} storage requests/referral, " +
                          $"CPU per referral: Azurite {result.AzuriteCpu.TotalMilliseconds / result.Count:F1} ms, app {result.AppCpu.TotalMilliseconds / result.Count:F1} ms, bench+proxy {result.BenchCpu.TotalMilliseconds / result.Count:F1} ms");
        await PurgeLeftoversAsync();
        var bareResult = await RunBareAsync(options.Orchestrations, concurrency);
        bareRounds.Add(bareResult);
        Console.WriteLine($"  bare     c={concurrency} round {round}: {bareResult.PerSecond:F1} orchestrations/s, " +
                          $"latency p50 {Stats.Median(bareResult.LatenciesMs):F0} ms, {bareResult.TotalRequests / (double)bareResult.Count:F2} storage requests/orchestration, " +
                          $"CPU per orchestration: Azurite {bareResult.AzuriteCpu.TotalMilliseconds / bareResult.Count:F1} ms, host {bareResult.AppCpu.TotalMilliseconds / bareResult.Count:F1} ms, bench+proxy {bareResult.BenchCpu.TotalMilliseconds / bareResult.Count:F1} ms; " +
                          $"referral / bare: {result.PerSecond / bareResult.PerSecond:P0}");
        await PurgeLeftoversAsync();
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
Report.WriteBare(bareRounds, rounds, bareIdle, idleSeconds, appTaskHub);

internal sealed record RoundResult(
    int Count, int Concurrency, TimeSpan Elapsed, double[] LatenciesMs, Dictionary<string, long> Requests,
    TimeSpan AzuriteCpu, TimeSpan AppCpu, TimeSpan BenchCpu)
{
    public double PerSecond => Count / Elapsed.TotalSeconds;

    public long TotalRequests => Requests.Values.Sum();
}

internal sealed record BenchOptions(
    int Referrals, int Orchestrations, int Rounds, int[] Concurrency, int RawOps, int Warmup, TimeSpan? PollingInterval, TimeSpan MailPoll, TimeSpan IdleWindow,
    bool PurgeLeftovers)
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
            Int("orchestrations", Int("referrals", 200)),
            Int("rounds", 3),
            values.TryGetValue("concurrency", out var c) ? [.. c.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))] : [1, 8],
            Int("raw-ops", 1000),
            Int("warmup", 30),
            values.TryGetValue("polling-interval", out var p) ? TimeSpan.Parse(p, CultureInfo.InvariantCulture) : null,
            TimeSpan.FromMilliseconds(Int("mail-poll-ms", 20)),
            TimeSpan.FromSeconds(Int("idle-seconds", 6)),
            !values.TryGetValue("purge-leftovers", out var purge) || bool.Parse(purge));
    }
}
