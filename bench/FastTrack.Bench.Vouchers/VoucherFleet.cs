using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using FastTrack.Domain;
using FastTrack.Domain.Vouchers;
using FastTrack.Core.Storage;
using FastTrack.Core.Vouchers;

namespace FastTrack.Bench.Vouchers;

/// <summary>
/// Open vouchers issued over the last half year, as the sweep finds them on the morning of <c>today</c>: every task
/// before today done (reminders recorded as sent, calendar rows deleted), every later one still scheduled, and one
/// voucher in <c>dueEvery</c> with a task due today (a first reminder, a second reminder or an expiry, in turn).
/// </summary>
internal sealed class VoucherFleet(int count, int dueEvery, DateOnly today)
{
    private const int TransactionLimit = 100;

    /// <summary>Days from issue to each task (30 and 7 days before expiry, expiry), from the rules themselves.</summary>
    private static readonly int[] TaskAges = TaskAgesOf(Issued(0, DateOnly.MinValue));

    /// <summary>Ages, younger than the expiry, at which a voucher has nothing due.</summary>
    private static readonly int[] QuietAges = [.. Enumerable.Range(0, TaskAges.Max()).Except(TaskAges)];

    public int Count => count;

    public int Due => (count + dueEvery - 1) / dueEvery;

    /// <summary>
    /// Writes the vouchers with <see cref="VoucherStore.CreateAsync"/> (one partition each, so one request each) and
    /// their calendar rows as <see cref="VoucherCalendar.RowOf"/> builds them, 100 per entity group transaction.
    /// </summary>
    public async Task SeedAsync(StorageAccount storage, int concurrency)
    {
        var vouchers = Enumerable.Range(0, count).Select(VoucherAt).ToList();
        var store = new VoucherStore(new StorageResources(storage));
        await ForEachAsync("vouchers", vouchers, concurrency, async (voucher, ct) =>
        {
            if (!await store.CreateAsync(voucher, [], ct))
            {
                throw new InvalidOperationException($"Voucher {voucher.Id} was seeded twice.");
            }

            return 1;
        });

        var calendar = storage.Tables.GetTableClient(VoucherCalendar.TableName);
        await calendar.CreateIfNotExistsAsync();
        var transactions = vouchers
            .SelectMany(VoucherCalendar.TasksOf)
            .Where(task => task.On >= today)
            .Select(VoucherCalendar.RowOf)
            .GroupBy(row => row.PartitionKey)
            .SelectMany(partition => partition.Chunk(TransactionLimit))
            .ToList();
        await ForEachAsync("calendar rows", transactions, concurrency, async (rows, ct) =>
        {
            await calendar.SubmitTransactionAsync(rows.Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)), ct);
            return rows.Length;
        });
    }

    private static async Task ForEachAsync<T>(string what, IReadOnlyList<T> items, int concurrency, Func<T, CancellationToken, ValueTask<int>> seed)
    {
        var clock = Stopwatch.StartNew();
        var done = 0;
        var rows = 0;
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (item, ct) =>
        {
            Interlocked.Add(ref rows, await seed(item, ct));
            var n = Interlocked.Increment(ref done);
            if (n % Math.Max(1, items.Count / 10) == 0 || n == items.Count)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  seeding {what}: {n:N0} / {items.Count:N0} requests, {Volatile.Read(ref rows):N0} rows, {clock.Elapsed.TotalSeconds:F0} s"));
            }
        });
    }

    /// <summary>The i-th voucher: due today if i is a multiple of dueEvery, otherwise of an age with no task today.</summary>
    private Voucher VoucherAt(int i)
    {
        var age = i % dueEvery == 0 ? TaskAges[i / dueEvery % TaskAges.Length] : QuietAges[i % QuietAges.Length];
        var voucher = Issued(i, today.AddDays(-age));
        return voucher with { RemindersSent = [.. voucher.ReminderDates.Where(date => date < today)] };
    }

    private static Voucher Issued(int i, DateOnly issuedOn)
    {
        var tpid = "bench-" + i.ToString(CultureInfo.InvariantCulture);
        var cap = Voucher.CapFor(1);
        return new Voucher(
            VoucherStore.IdFor(tpid),
            "referral-" + tpid,
            tpid,
            "tenant-" + tpid,
            "partner-" + (i % 50).ToString(CultureInfo.InvariantCulture),
            1,
            cap,
            Voucher.MaxUsersFor(2_000, cap),
            new DateTimeOffset(issuedOn.ToDateTime(new TimeOnly(9, 30)), TimeSpan.Zero),
            issuedOn.AddDays(ProgramRules.VoucherValidityDays),
            VoucherStatus.Issued,
            []);
    }

    private static int[] TaskAgesOf(Voucher voucher)
    {
        var issuedOn = DateOnly.FromDateTime(voucher.IssuedAt.UtcDateTime);
        return [.. VoucherCalendar.TasksOf(voucher).Select(task => task.On.DayNumber - issuedOn.DayNumber)];
    }
}
