using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using Microsoft.Extensions.Options;

namespace FastTrack.DevHost.Triggers;

/// <summary>
/// Runs blob functions standalone by polling their containers. A receipt (function, blob name, blob ETag) in table
/// <c>BlobReceipts</c> records each version processed, so a blob is processed once, and again only when rewritten.
/// A blob that fails <c>maxDequeueCount</c> times gets a receipt marked poisoned and is not tried again.
/// </summary>
internal sealed partial class BlobLoop(
    IEnumerable<ITriggeredFunction> functions,
    StorageResources storage,
    TimeProvider clock,
    IOptions<TriggerLoopOptions> options,
    ILogger<BlobLoop> logger) : BackgroundService
{
    public const string ReceiptsTable = "BlobReceipts";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var blobFunctions = functions.Where(function => function.Trigger is BlobTrigger).ToList();
        if (blobFunctions.Count == 0)
        {
            return;
        }

        using var poll = new PeriodicTimer(options.Value.PollingInterval);
        do
        {
            foreach (var function in blobFunctions)
            {
                var trigger = (BlobTrigger)function.Trigger;
                try
                {
                    // Created the first time only (again only after a failed try), not on every poll: polls are frequent.
                    var receipts = await storage.TableAsync(ReceiptsTable, stoppingToken);
                    var container = await storage.ContainerAsync(trigger.Container, stoppingToken);
                    await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, stoppingToken))
                    {
                        await ProcessAsync(function, trigger, container, receipts, blob, stoppingToken);
                    }
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    LogPollFailed(trigger.Container, exception);
                }
            }
        }
        while (await poll.WaitForNextTickAsync(stoppingToken));
    }

    private async Task ProcessAsync(
        ITriggeredFunction function,
        BlobTrigger trigger,
        BlobContainerClient container,
        TableClient receipts,
        BlobItem blob,
        CancellationToken cancellationToken)
    {
        var rowKey = Uri.EscapeDataString(blob.Name);
        var receipt = await receipts.GetEntityIfExistsAsync<TableEntity>(function.Name, rowKey, cancellationToken: cancellationToken);
        var blobETag = blob.Properties.ETag.ToString();
        var previous = receipt.HasValue && receipt.Value!.GetString("BlobETag") == blobETag ? receipt.Value : null;
        if (previous is not null && (previous.GetBoolean("Done") == true || previous.GetBoolean("Poisoned") == true))
        {
            return;
        }

        var failures = previous?.GetInt32("Failures") ?? 0;
        var entity = new TableEntity(function.Name, rowKey) { ["BlobETag"] = blobETag };
        try
        {
            var payload = Payloads.Blob(
                trigger, container.GetBlobClient(blob.Name).Uri, blob.Name, blob.Metadata, clock.GetUtcNow());
            await function.InvokeAsync(payload, cancellationToken);
            entity["Done"] = true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            entity["Failures"] = ++failures;
            entity["Poisoned"] = failures >= options.Value.Queues.MaxDequeueCount;
            LogBlobFailed(function.Name, blob.Name, failures, exception);
        }

        await receipts.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling container {Container} failed; retrying")]
    private partial void LogPollFailed(string container, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Function {FunctionName} failed on blob {BlobName} ({Failures} failures)")]
    private partial void LogBlobFailed(string functionName, string blobName, int failures, Exception exception);
}
