using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Azure.Core;
using Azure.Data.Tables;
using FastTrack.Bench.Workflow;
using FastTrack.Core.Mail;
using FastTrack.Core.Referrals;
using FastTrack.Core.Storage;
using FastTrack.Domain;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;
using FastTrack.Domain.Referrals;
using FastTrack.Testing;
using Microsoft.Extensions.Logging.Abstractions;

// The first page of a referral list (GET /api/referrals), through the lists' index (ReferralIndex.PageAsync) and by
// reading every referral's state row, on the same data in one Azurite: time and storage requests (counted by a proxy in
// front of Azurite's table service). See bench/README.md.
string Option(string name, string fallback) => args.SkipWhile(a => a != "--" + name).Skip(1).FirstOrDefault() ?? fallback;
var count = int.Parse(Option("referrals", "100000"), CultureInfo.InvariantCulture);
var rounds = int.Parse(Option("rounds", "5"), CultureInfo.InvariantCulture);
var concurrency = int.Parse(Option("concurrency", "16"), CultureInfo.InvariantCulture);

// Index transactions carry 100 entities each: at 16 at once, Azurite under load answered some after the client's
// timeout and the seeding failed (first 100,000-referral run). Fewer at once, and each may wait and be retried.
var indexConcurrency = int.Parse(Option("index-concurrency", "4"), CultureInfo.InvariantCulture);
const int Partners = 50;
const int PageSize = 100;
var now = DateTimeOffset.UtcNow;
Console.WriteLine($"# Referral list benchmark, {now:u}: {count:N0} referrals, {Partners} partners, page size {PageSize}, {rounds} rounds after one warm-up");
Console.WriteLine($"machine: nproc = {Environment.ProcessorCount}, {Machine.CpuModel()}, {RuntimeInformation.OSDescription}, " +
                  $".NET {Environment.Version}, load average before: {Machine.LoadAverage()}");

await using var azurite = await AzuriteInstance.StartAsync();
await using var proxy = new CountingProxy("table", azurite.TablePort);
var connectionString = AzuriteInstance.ConnectionStringFor(azurite.BlobPort, azurite.QueuePort, proxy.Port);
var storage = StorageAccount.FromConnectionString(connectionString);
var resources = new StorageResources(storage);
var store = new ReferralStore(resources);
var index = new ReferralIndex(resources, store, NullLogger<ReferralIndex>.Instance);

// Seeding: one referral a request (its own partition), the index entries 100 a transaction per partition.
var seeding = Stopwatch.StartNew();
var referrals = Enumerable.Range(0, count).Select(n => ReferralAt(n, now)).ToList();
var done = 0;
await Parallel.ForEachAsync(referrals, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (seeded, ct) =>
{
    var submission = new ReferralSubmission(
        "bench-" + seeded.Referral.Id, new Requestor("Sam", "sam@microsoft.example", true), new CustomerContact("Casey", "casey@example.com", null),
        null, null, seeded.CreatedAt);
    await store.CreateAsync(seeded.Referral.Id, submission, seeded.Referral, ct);
    if (Interlocked.Increment(ref done) % Math.Max(1, count / 10) == 0)
    {
        Console.WriteLine($"  seeded {done:N0} referrals, {seeding.Elapsed.TotalSeconds:F0} s");
    }
});
Console.WriteLine($"stored {count:N0} referrals in {seeding.Elapsed.TotalSeconds:F0} s; seeding the index, {indexConcurrency} transactions at a time");

// Seeding only: the measured reads below use the app's own client options. Transactions of inserts: seeding 10,000
// referrals' entries took 16 s so, against 100 s in transactions of upserts (and 20,000 took 430 s one insert a
// request). Azurite still grows slower the more entries the index holds (bench/README.md). A retried transaction that
// had been applied fails on its first entity with 409, and counts as done.
var seedingOptions = new TableClientOptions
{
    Retry = { Mode = RetryMode.Exponential, MaxRetries = 8, Delay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(60), NetworkTimeout = TimeSpan.FromMinutes(5) },
};
var indexTable = new TableServiceClient(connectionString, seedingOptions).GetTableClient(ReferralIndex.TableName);
await indexTable.CreateIfNotExistsAsync();
var batches = referrals.SelectMany(r => ReferralIndex.EntriesOf(r.Referral, r.CreatedAt, version: 0))
    .GroupBy(entry => entry.PartitionKey).SelectMany(partition => partition.Chunk(100)).ToList();
var submitted = 0;
await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = indexConcurrency }, async (rows, ct) =>
{
    try
    {
        await indexTable.SubmitTransactionAsync(rows.Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)), ct);
    }
    catch (TableTransactionFailedException applied) when (applied.Status == 409 && applied.FailedTransactionActionIndex == 0)
    {
        // Applied by an attempt whose answer was lost: the transaction is atomic, so all of it is there.
    }
    if (Interlocked.Increment(ref submitted) % Math.Max(1, batches.Count / 10) == 0)
    {
        Console.WriteLine($"  {submitted:N0} of {batches.Count:N0} index transactions, {seeding.Elapsed.TotalSeconds:F0} s");
    }
});
Console.WriteLine($"seeded in {seeding.Elapsed.TotalSeconds:F0} s ({batches.Count:N0} index transactions); load average: {Machine.LoadAverage()}");

var referralsTable = storage.Tables.GetTableClient(ReferralStore.TableName);
(string Name, ReferralQuery Query)[] lists =
[
    ("no filter", new ReferralQuery(null, null, false, null, null, PageSize, null)),
    ("status=Offered", new ReferralQuery(ReferralStatus.Offered, null, false, null, null, PageSize, null)),
    ("partnerId=partner-07", new ReferralQuery(null, "partner-07", false, null, null, PageSize, null)),
    ("status=Active&partnerId=partner-07", new ReferralQuery(ReferralStatus.Active, "partner-07", false, null, null, PageSize, null)),
];
Console.WriteLine();
Console.WriteLine("| list | how | median time | requests | entities read | items |");
Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: |");
foreach (var (name, query) in lists)
{
    List<string>? byIndex = null;
    foreach (var (how, page) in new (string, Func<Task<(List<string> Ids, int Read)>>)[]
             {
                 ("index", async () =>
                 {
                     var found = await index.PageAsync(query, now, CancellationToken.None);
                     return ([.. found.Items.Select(i => i.Referral.Id)], found.Items.Count);
                 }),
                 ("full scan", () => FullScanAsync(referralsTable, query)),
             })
    {
        var times = new List<TimeSpan>();
        var requests = new List<long>();
        (List<string> Ids, int Read) result = ([], 0);
        for (var round = 0; round <= rounds; round++)
        {
            var before = proxy.Snapshot().Values.Sum();
            var clock = Stopwatch.StartNew();
            result = await page();
            clock.Stop();
            if (round > 0)
            {
                times.Add(clock.Elapsed);
                requests.Add(proxy.Snapshot().Values.Sum() - before);
            }
        }

        // An index page may be short (at most ReferralIndex.MaxScannedPerPage entries examined, then a token): it must
        // be the scan's first items.
        if (how == "index")
        {
            byIndex = result.Ids;
        }
        else if (!byIndex!.SequenceEqual(result.Ids.Take(byIndex!.Count)))
        {
            throw new InvalidOperationException($"{name}: the index and the full scan list different referrals.");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {how} | {times.Order().ElementAt(times.Count / 2).TotalMilliseconds:F0} ms | {requests.Order().ElementAt(requests.Count / 2):N0} | {(how == "index" ? "-" : result.Read.ToString("N0", CultureInfo.InvariantCulture))} | {result.Ids.Count} |"));
    }
}

Console.WriteLine($"load average after: {Machine.LoadAverage()}");

// Without the index: every state row (filtered by status where the query has one, as the service can), sorted newest first.
static async Task<(List<string> Ids, int Read)> FullScanAsync(TableClient table, ReferralQuery query)
{
    var filter = query.Status is { } status
        ? TableClient.CreateQueryFilter($"RowKey eq 'state' and Status eq {status.ToString()}")
        : "RowKey eq 'state'";
    var read = 0;
    var matches = new List<(DateTimeOffset CreatedAt, string Id)>();
    await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000))
    {
        read++;
        var state = JsonSerializer.Deserialize<Referral>(row.GetString("State")!, DomainJson.Options)!;
        if (query.Matches(state, DateTimeOffset.UtcNow))
        {
            matches.Add((row.GetDateTimeOffset("CreatedAt")!.Value, state.Id));
        }
    }

    return ([.. matches.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id, StringComparer.Ordinal).Take(query.PageSize).Select(m => m.Id)], read);
}

// Referral n, received n minutes apart (the newest now); 80 % Completed, 10 % Active, 8 % Offered, 2 % Unmatched.
static (Referral Referral, DateTimeOffset CreatedAt) ReferralAt(int n, DateTimeOffset now)
{
    var createdAt = now.AddMinutes(-n).AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
    var id = $"r{n:D7}";
    // By n / 50, not n % 50 as the status is: else each partner would hold referrals of one status only.
    var partner = $"partner-{n / 50 % Partners:D2}";
    var request = new MatchRequest(
        new Customer($"tenant-{n}", $"tpid-{n}", $"Customer {n}", "US", "en", Segment.Commercial, 2000),
        ReferralType.Standard,
        new HashSet<Workload> { Workload.Teams },
        new Dictionary<string, IReadOnlySet<Workload>>());
    var (status, partnerId) = (n % 50) switch
    {
        < 40 => (PartStatus.Completed, partner),
        < 45 => (PartStatus.Active, partner),
        < 49 => (PartStatus.Offered, partner),
        _ => (PartStatus.Unmatched, (string?)null),
    };
    var completion = status == PartStatus.Completed ? new Completion(false, 1000m, "USD", null, createdAt.AddDays(10)) : null;
    var part = new AssignmentPart(
        "p1", new HashSet<Workload> { Workload.Teams }, status, partnerId, 1, createdAt, status == PartStatus.Offered ? createdAt.AddDays(2) : null,
        new HashSet<string>(), completion);
    return (new Referral(id, request, [part]), createdAt);
}
