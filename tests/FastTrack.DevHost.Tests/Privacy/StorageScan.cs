using System.Globalization;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Xunit;

namespace FastTrack.DevHost.Tests.Privacy;

/// <summary>
/// Reads everything a storage account holds, whatever the app's code says it wrote: every property of every entity of
/// every table, every visible message of every queue (poison queues included), every blob and its metadata. It reads
/// with the SDK's clients of its own, not the app's.
/// </summary>
internal static class StorageScan
{
    // Peek returns at most 32 messages: a search refuses a queue with more. It sees visible messages only, as any reader
    // does: a delayed one (an SLA timer on referral-timers) cannot be read until it is due.
    private const int MaxPeek = 32;

    /// <summary>What <see cref="ReadAllAsync"/> holds for a queue with more messages than it can read.</summary>
    public const string UnreadMessages = "(more messages than a peek reads: the rest is unread)";

    /// <summary>Where each of <paramref name="values"/> occurs (case-insensitively): "table/partition/row/property: value".</summary>
    public static async Task<IReadOnlyList<string>> FindAsync(string connectionString, params string[] values)
    {
        var texts = await ReadAllAsync(connectionString);
        Assert.DoesNotContain(texts, text => text.Text == UnreadMessages);
        return [.. texts
            .Where(text => values.Any(value => text.Text.Contains(value, StringComparison.OrdinalIgnoreCase)))
            .Select(text => $"{text.Where}: {text.Text}")];
    }

    /// <summary>
    /// Every text the account holds, with where it is ("table T/partition/row/property", "queue Q/message id",
    /// "blob C/name", "blob C/name metadata key"); a queue too full to read whole says so (<see cref="UnreadMessages"/>).
    /// </summary>
    public static async Task<IReadOnlyList<(string Where, string Text)>> ReadAllAsync(string connectionString)
    {
        var texts = new List<(string Where, string Text)>();
        var tables = new TableServiceClient(connectionString);
        await foreach (var table in tables.QueryAsync())
        {
            await foreach (var entity in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                texts.AddRange(entity.Select(property => ($"table {table.Name}/{entity.PartitionKey}/{entity.RowKey}/{property.Key}", Convert.ToString(property.Value, CultureInfo.InvariantCulture) ?? string.Empty)));
            }
        }

        // The app's messages are Base64, as the Functions queue trigger reads them.
        var queues = new QueueServiceClient(connectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await foreach (var queueItem in queues.GetQueuesAsync())
        {
            var messages = (await queues.GetQueueClient(queueItem.Name).PeekMessagesAsync(MaxPeek)).Value;
            texts.AddRange(messages.Select(message => ($"queue {queueItem.Name}/{message.MessageId}", message.Body.ToString())));
            if (messages.Length >= MaxPeek)
            {
                texts.Add(($"queue {queueItem.Name}", UnreadMessages));
            }
        }

        var blobs = new BlobServiceClient(connectionString);
        await foreach (var containerItem in blobs.GetBlobContainersAsync())
        {
            var container = blobs.GetBlobContainerClient(containerItem.Name);
            await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }))
            {
                using var download = (await container.GetBlobClient(blob.Name).DownloadStreamingAsync()).Value;
                using var reader = new StreamReader(download.Content);
                texts.Add(($"blob {containerItem.Name}/{blob.Name}", await reader.ReadToEndAsync()));
                texts.AddRange(blob.Metadata.Select(pair => ($"blob {containerItem.Name}/{blob.Name} metadata {pair.Key}", pair.Value)));
            }
        }

        return texts;
    }
}
