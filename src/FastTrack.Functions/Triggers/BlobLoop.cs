using Azure;
using FastTrack.Functions.Hosting;
using FastTrack.Storage.Blobs;
using FastTrack.Storage.Tables;
using Microsoft.Extensions.Options;

namespace FastTrack.Functions.Triggers;

/// <summary>
/// Runs blob functions standalone by polling their containers. A receipt (function, blob name, blob ETag) in table
/// <c>BlobReceipts</c> records each version processed, so a blob is processed once, and again only when rewritten.
/// A blob that fails <c>maxDequeueCount</c> times gets a receipt marked poisoned and is not tried again.
/// </summary>
internal sealed partial class BlobLoop(
    IEnumerable<ITriggeredFunction> functions,
    StorageAccount storage,
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

        var receipts = storage.GetTableClient(ReceiptsTable);
        var containers = blobFunctions.ToDictionary(
            function => function,
            function => storage.GetBlobContainerClient(((BlobTrigger)function.Trigger).Container));

        // Created once per run (again only after a failed try), not on every poll: polls are frequent.
        var created = new CreateOnce(() => Task.WhenAll(
            containers.Values.Select(container => (Task)container.CreateIfNotExistsAsync(stoppingToken))
                .Append(receipts.CreateIfNotExistsAsync(stoppingToken))));
        using var poll = new PeriodicTimer(options.Value.PollingInterval);
        do
        {
            foreach (var function in blobFunctions)
            {
                var trigger = (BlobTrigger)function.Trigger;
                try
                {
                    await created.EnsureAsync();
                    var container = containers[function];
                    await foreach (var blob in container.GetBlobsAsync(cancellationToken: stoppingToken))
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
        var receipt = await receipts.GetEntityIfExistsAsync(function.Name, rowKey, cancellationToken: cancellationToken);
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
                trigger, container.GetBlobClient(blob.Name).Uri, blob.Name, blob.Properties.Metadata, clock.GetUtcNow());
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
