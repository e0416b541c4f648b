using System.Collections.Concurrent;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace FastTrack.Core.Storage;

/// <summary>
/// Hands out the clients of the app's tables, queues and blob containers, creating each the first time it is asked
/// for, so that no store has to. Unlike a cached task, a failed creation (storage briefly unreachable) is tried again
/// on the next request instead of failing every later one.
/// </summary>
public sealed class StorageResources(StorageAccount account)
{
    private readonly ConcurrentDictionary<string, Task> _creations = new(StringComparer.Ordinal);

    public async Task<TableClient> TableAsync(string tableName, CancellationToken cancellationToken)
    {
        var table = account.Tables.GetTableClient(tableName);
        await CreatedAsync($"table {tableName}", () => table.CreateIfNotExistsAsync(CancellationToken.None), cancellationToken);
        return table;
    }

    public async Task<QueueClient> QueueAsync(string queueName, CancellationToken cancellationToken)
    {
        var queue = account.Queues.GetQueueClient(queueName);
        await CreatedAsync($"queue {queueName}", () => queue.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None), cancellationToken);
        return queue;
    }

    public async Task<BlobContainerClient> ContainerAsync(string containerName, CancellationToken cancellationToken)
    {
        var container = account.Blobs.GetBlobContainerClient(containerName);
        await CreatedAsync($"container {containerName}", () => container.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None), cancellationToken);
        return container;
    }

    /// <summary>
    /// The creation is shared by every caller, so it runs without any one caller's token: a caller that gives up
    /// stops waiting, and does not cancel the creation for the others.
    /// </summary>
    private Task CreatedAsync(string key, Func<Task> create, CancellationToken cancellationToken)
    {
        if (!_creations.TryGetValue(key, out var creation) || creation.IsFaulted || creation.IsCanceled)
        {
            // Two callers racing here both create; CreateIfNotExists makes that harmless.
            creation = create();
            _creations[key] = creation;
        }

        return creation.WaitAsync(cancellationToken);
    }
}
