using Azure.Data.Tables;
using FastTrack.Core.Storage;

namespace FastTrack.Core.Health;

/// <summary>
/// A timer function that records when it last ran, so <c>/api/health</c> can show operations that timers are being
/// fired (by the Functions host in Azure, by the dev host's local triggers on a developer machine).
/// </summary>
public sealed class Heartbeat(StorageResources storage, TimeProvider clock)
{
    public const string FunctionName = "Heartbeat";
    public const string TableName = "Heartbeat";
    private const string PartitionKey = "timer";
    private const string RowKey = "Heartbeat";

    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        await table.UpsertEntityAsync(
            new TableEntity(PartitionKey, RowKey) { ["At"] = clock.GetUtcNow() }, TableUpdateMode.Replace, cancellationToken);
    }

    public static async Task<DateTimeOffset?> LastBeatAsync(TableClient table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var entity = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKey, RowKey, cancellationToken: cancellationToken);
        return entity.HasValue ? entity.Value!.GetDateTimeOffset("At") : null;
    }
}
