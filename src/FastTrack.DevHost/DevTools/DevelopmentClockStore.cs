using Azure.Data.Tables;
using FastTrack.Core.Storage;

namespace FastTrack.DevHost.DevTools;

/// <summary>
/// Keeps the development clock's offset in table <c>DevClock</c>: loaded when the dev host starts (before anything
/// reads the clock), saved whenever the clock moves.
/// </summary>
public sealed class DevelopmentClockStore(StorageResources storage, DevelopmentClock clock) : IHostedService
{
    public const string TableName = "DevClock";
    private const string PartitionKey = "clock";
    private const string RowKey = "offset";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKey, RowKey, cancellationToken: cancellationToken);
        if (row.HasValue && row.Value!.GetInt64("Ticks") is { } ticks)
        {
            clock.Restore(TimeSpan.FromTicks(ticks));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        await table.UpsertEntityAsync(
            new TableEntity(PartitionKey, RowKey) { ["Ticks"] = clock.Offset.Ticks }, TableUpdateMode.Replace, cancellationToken);
    }
}
