using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FastTrack.Core.Storage;
using Microsoft.Extensions.Options;

namespace FastTrack.DevHost.Triggers;

/// <summary>
/// Runs the blob functions by polling their containers (in Azure, Event Grid tells the Functions host instead). A receipt (function, blob name, blob ETag) in table
/// <c>BlobReceipts</c> records each version processed, so a blob is processed once, and again only when rewritten.
/// A blob that fails <c>maxDequeueCount</c> times gets a receipt marked poisoned and is not tried again.
/// </summary>
internal sealed partial class BlobLoop(
    IEnumerable<LocalTrigger> functions,
    IServiceProvider services,
    StorageResources storage,
    IOptions<TriggerLoopOptions> options,
    ILogger<BlobLoop> logger) : BackgroundService
{
    public const string ReceiptsTable = "BlobReceipts";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var blobFunctions = functions.OfType<LocalBlobTrigger>().ToList();
        if (blobFunctions.Count == 0)
        {
            return;
        }

        using var poll = new PeriodicTimer(options.Value.PollingInterval);
        do
        {
            foreach (var function in blobFunctions)
            {
                try
                {
                    // Created the first time only (again only after a failed try), not on every poll: polls are frequent.
                    var receipts = await storage.TableAsync(ReceiptsTable, stoppingToken);
                    var container = await storage.ContainerAsync(function.Container, stoppingToken);
                    await foreach (var blob in container.GetBlobsAsync(cancellationToken: stoppingToken))
                    {
                        await ProcessAsync(function, receipts, blob, stoppingToken);
                    }
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    LogPollFailed(function.Container, exception);
                }
            }
        }
        while (await poll.WaitForNextTickAsync(stoppingToken));
    }

    private async Task ProcessAsync(
        LocalBlobTrigger function,
        TableClient receipts,
        BlobItem blob,
        CancellationToken cancellationToken)
    {
        var rowKey = Uri.EscapeDataString(blob.Name);
        var receipt = await receipts.GetEntityIfExistsAsync<TableEntity>(function.FunctionName, rowKey, cancellationToken: cancellationToken);
        var blobETag = blob.Properties.ETag.ToString();
        var previous = receipt.HasValue && receipt.Value!.GetString("BlobETag") == blobETag ? receipt.Value : null;
        if (previous is not null && (previous.GetBoolean("Done") == true || previous.GetBoolean("Poisoned") == true))
        {
            return;
        }

        var failures = previous?.GetInt32("Failures") ?? 0;
        var entity = new TableEntity(function.FunctionName, rowKey) { ["BlobETag"] = blobETag };
        try
        {
            await function.RunAsync(services, blob.Name, cancellationToken);
            entity["Done"] = true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            entity["Failures"] = ++failures;
            entity["Poisoned"] = failures >= options.Value.Queues.MaxDequeueCount;
            LogBlobFailed(function.FunctionName, blob.Name, failures, exception);
        }

        await receipts.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling container {Container} failed; retrying")]
    private partial void LogPollFailed(string container, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Function {FunctionName} failed on blob {BlobName} ({Failures} failures)")]
    private partial void LogBlobFailed(string functionName, string blobName, int failures, Exception exception);
}
