using Azure.Data.Tables;
using FastTrack.Domain.Vouchers;
using FastTrack.Core.Storage;
using FastTrack.Core.Vouchers;

namespace FastTrack.Bench.Vouchers;

/// <summary>The tasks due, and how many entities were read to find them.</summary>
internal sealed record Found(IReadOnlyList<VoucherTask> Due, int EntitiesRead);

/// <summary>Two ways for the expiry sweep to find what is due at <paramref name="now"/>.</summary>
internal sealed class DueWork(StorageAccount storage, DateTimeOffset now)
{
    private readonly VoucherCalendar _calendar = new(new StorageResources(storage));
    private readonly TableClient _vouchers = storage.Tables.GetTableClient(VoucherStore.TableName);
    private readonly DateOnly _today = DateOnly.FromDateTime(now.UtcDateTime);

    /// <summary>What <c>VoucherSweepFunction</c> does: the calendar's partitions up to today, one row per due task.</summary>
    public async Task<Found> ByIndexAsync()
    {
        var due = await _calendar.DueAsync(_today, CancellationToken.None);
        return new Found(due, due.Count);
    }

    /// <summary>
    /// The sweep without the index: every voucher's state row, each task up to today kept if the voucher's own rule
    /// (<see cref="Voucher.Remind"/>, <see cref="Voucher.Expire"/>) would still act on it.
    /// </summary>
    public async Task<Found> ByFullScanAsync()
    {
        var filter = TableClient.CreateQueryFilter($"RowKey eq {VoucherStore.StateRow}");
        var due = new List<VoucherTask>();
        var read = 0;
        await foreach (var row in _vouchers.QueryAsync<TableEntity>(filter, select: [VoucherStore.StateProperty]))
        {
            read++;
            var voucher = VoucherStore.VoucherOf(row);
            due.AddRange(VoucherCalendar.TasksOf(voucher).Where(task => task.On <= _today && WouldAct(voucher, task)));
        }

        return new Found(due, read);
    }

    private bool WouldAct(Voucher voucher, VoucherTask task) =>
        (task.Kind == VoucherTaskKind.Reminder ? voucher.Remind(task.On, now) : voucher.Expire(now)).Succeeded;
}
