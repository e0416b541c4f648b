using Azure.Data.Tables;
using FastTrack.Functions.Hosting;
using FastTrack.Functions.Triggers;

namespace FastTrack.Functions.Health;

/// <summary>
/// A timer that records when it last ran, so <c>/api/health</c> can show operations that timers are being fired
/// (by the Functions host in Azure, by the local loop standalone).
/// </summary>
internal sealed class HeartbeatFunction(StorageResources storage, TimeProvider clock) : ITriggeredFunction
{
    public const string TableName = "Heartbeat";
    private const string PartitionKey = "timer";
    private const string RowKey = "Heartbeat";

    public string Name => "Heartbeat";

    public Trigger Trigger { get; } = new TimerTrigger("0 */5 * * * *");

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var now = clock.GetUtcNow();
        await table.UpsertEntityAsync(
            new TableEntity(PartitionKey, RowKey) { ["At"] = now }, TableUpdateMode.Replace, cancellationToken);
        return InvocationResponse.Done($"Heartbeat at {now:O}");
    }

    public static async Task<DateTimeOffset?> LastBeatAsync(TableClient table, CancellationToken cancellationToken)
    {
        var entity = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKey, RowKey, cancellationToken: cancellationToken);
        return entity.HasValue ? entity.Value!.GetDateTimeOffset("At") : null;
    }
}
