using Azure;
using Azure.Data.Tables;
using FastTrack.Core.Durable;
using FastTrack.Core.Storage;
using Microsoft.Extensions.Options;

namespace FastTrack.DevHost.DevTools;

/// <summary>
/// Keeps the development clock's offset in table <c>DevClock</c>, one row per Durable task hub (the workflows waiting
/// in a hub were planned on its clock): loaded when the dev host starts (before anything reads the clock), saved
/// whenever the clock moves. Without storage at start the clock starts at real time, with a
/// warning: the dev host still starts, as it does without storage otherwise.
/// </summary>
public sealed partial class DevelopmentClockStore(
    StorageResources storage, DevelopmentClock clock, IOptions<DurableOptions> durable, ILogger<DevelopmentClockStore> log) : IHostedService
{
    public const string TableName = "DevClock";
    private const string PartitionKey = "offset";
    private readonly string _rowKey = durable.Value.TaskHubName;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var table = await storage.TableAsync(TableName, cancellationToken);
            var row = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKey, _rowKey, cancellationToken: cancellationToken);
            if (row.HasValue && row.Value!.GetInt64("Ticks") is { } ticks)
            {
                clock.Restore(TimeSpan.FromTicks(ticks));
            }
        }
        catch (Exception unreachable) when (unreachable is RequestFailedException or AggregateException)
        {
            NotRestored(log, unreachable);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        await table.UpsertEntityAsync(
            new TableEntity(PartitionKey, _rowKey) { ["Ticks"] = clock.Offset.Ticks }, TableUpdateMode.Replace, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The development clock could not be read from storage; it starts at real time, not where an earlier run left it")]
    private static partial void NotRestored(ILogger logger, Exception exception);
}
