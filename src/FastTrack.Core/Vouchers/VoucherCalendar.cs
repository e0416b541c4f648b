using System.Globalization;
using Azure.Data.Tables;
using FastTrack.Domain.Vouchers;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;

namespace FastTrack.Core.Vouchers;

/// <summary>
/// What the expiry sweep must do on which day, in table <c>VoucherCalendar</c>: one partition per date
/// (<c>yyyy-MM-dd</c>), one row per voucher and task. The sweep reads only the partitions up to today, and deletes
/// each row once done, so its cost follows the vouchers due, not all vouchers. Rows are written before the voucher
/// is committed: a crash in between leaves rows for a voucher that does not exist, which the sweep drops.
/// </summary>
public sealed class VoucherCalendar(StorageResources storage)
{
    public const string TableName = "VoucherCalendar";
    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>The voucher's reminder days and the day it expires.</summary>
    public static IEnumerable<VoucherTask> TasksOf(Voucher voucher)
    {
        ArgumentNullException.ThrowIfNull(voucher);
        return voucher.ReminderDates
            .Select(date => new VoucherTask(date, voucher.Id, VoucherTaskKind.Reminder))
            .Append(new VoucherTask(voucher.ExpiredFrom, voucher.Id, VoucherTaskKind.Expiry));
    }

    public async Task ScheduleAsync(Voucher voucher, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        // Each task is in its own date's partition, so they cannot share a transaction; the upserts are idempotent.
        await Task.WhenAll(TasksOf(voucher).Select(task => table.UpsertEntityAsync(
            RowOf(task), TableUpdateMode.Replace, cancellationToken)));
    }

    /// <summary>The row that schedules <paramref name="task"/>: in its date's partition, keyed by voucher and kind.</summary>
    public static TableEntity RowOf(VoucherTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new TableEntity(Key(task.On), RowKey(task));
    }

    /// <summary>Every task due on or before <paramref name="today"/> not yet done, oldest first.</summary>
    public async Task<IReadOnlyList<VoucherTask>> DueAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey le {Key(today)}");
        var due = new List<VoucherTask>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            var separator = row.RowKey.LastIndexOf('|');
            due.Add(new VoucherTask(
                DateOnly.ParseExact(row.PartitionKey, DateFormat, CultureInfo.InvariantCulture),
                row.RowKey[..separator],
                Enum.Parse<VoucherTaskKind>(row.RowKey[(separator + 1)..])));
        }

        return due;
    }

    public async Task DoneAsync(VoucherTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var table = await storage.TableAsync(TableName, cancellationToken);
        // A task already deleted (by a run that stopped before saying so) answers 404 without throwing.
        await table.DeleteEntityAsync(Key(task.On), RowKey(task), cancellationToken: cancellationToken);
    }

    private static string Key(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static string RowKey(VoucherTask task) => $"{task.VoucherId}|{task.Kind}";
}

public enum VoucherTaskKind
{
    Reminder,
    Expiry,
}

/// <summary>On <paramref name="On"/>, remind the partner of voucher <paramref name="VoucherId"/>, or expire it.</summary>
public sealed record VoucherTask(DateOnly On, string VoucherId, VoucherTaskKind Kind);
