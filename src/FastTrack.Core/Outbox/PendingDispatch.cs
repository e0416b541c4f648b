using Azure;
using Azure.Data.Tables;
using FastTrack.Core.Storage;

namespace FastTrack.Core.Outbox;

/// <summary>
/// Outbox owners (vouchers) whose outbox may hold work (table <c>PendingDispatch</c>, one partition per kind of owner:
/// vouchers' is <c>voucher</c>). Nothing commits across partitions, so the mark is written before the owner's commit
/// and cleared only once its outbox is empty: a crash between the two leaves a mark with nothing to do, which is
/// harmless, and never an outbox nobody will look at. The sweep re-dispatches marks that have waited too long.
/// </summary>
public sealed class PendingDispatch(StorageResources storage, string partition)
{
    public const string TableName = "PendingDispatch";

    /// <summary>How long a dispatch may take before a sweep asks again.</summary>
    public static readonly TimeSpan StrandedAfter = TimeSpan.FromMinutes(1);

    public async Task MarkAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        await table.UpsertEntityAsync(
            new TableEntity(partition, id) { ["Since"] = now }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The mark's current version, to clear it later only if nobody marked it again meanwhile.</summary>
    public async Task<ETag?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(partition, id, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.ETag : null;
    }

    public async Task ClearAsync(string id, ETag version, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(partition, id, version, cancellationToken);
        }
        catch (RequestFailedException failure) when (failure.Status == 412)
        {
            // Marked again after we read it: a newer commit's outbox still needs its dispatch.
        }
    }

    /// <summary>
    /// The sweeps' backstop: asks again, on <paramref name="dispatch"/>, for every outbox marked more than
    /// <see cref="StrandedAfter"/> before <paramref name="now"/> (a crash between commit and request, a poisoned
    /// message). Returns how many were asked for.
    /// </summary>
    public async Task<int> RedispatchStrandedAsync(DispatchRequests dispatch, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dispatch);
        var table = await storage.TableAsync(TableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and Since le {now - StrandedAfter}");
        var count = 0;
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            await dispatch.RequestAsync(entity.RowKey, cancellationToken);
            count++;
        }

        return count;
    }
}
