using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FastTrack.Domain;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;

namespace FastTrack.Core.Outbox;

/// <summary>
/// Effects still to do, kept as <c>outbox-NNNNNN</c> rows in the partition of the thing that decided them, so that
/// they are committed in the same entity group transaction as the decision. Each is claimed (recorded before),
/// performed, then deleted (recorded after): a crash in between leaves the claim to expire and the effect to be done
/// again, so an effect is done at least once, and rarely twice.
/// </summary>
public sealed class PartitionOutbox<TEffect>(StorageResources storage, string tableName)
{
    private const string Prefix = "outbox-";

    /// <summary>The rows adding <paramref name="effects"/> after the <paramref name="countBefore"/> already numbered.</summary>
    public IEnumerable<TableTransactionAction> Append(string partitionKey, IEnumerable<TEffect> effects, int countBefore) =>
        effects.Select((effect, index) => new TableTransactionAction(
            TableTransactionActionType.Add,
            new TableEntity(partitionKey, Prefix + (countBefore + index + 1).ToString("D6", CultureInfo.InvariantCulture))
            {
                ["Effect"] = JsonSerializer.Serialize(effect, DomainJson.Options),
            }));

    /// <summary>The effects still to do in the partition, oldest first.</summary>
    public async Task<IReadOnlyList<OutboxItem<TEffect>>> ListAsync(string partitionKey, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(tableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partitionKey} and RowKey ge {Prefix} and RowKey lt {Prefix + "~"}");
        var items = new List<OutboxItem<TEffect>>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            items.Add(new OutboxItem<TEffect>(
                partitionKey,
                entity.RowKey,
                JsonSerializer.Deserialize<TEffect>(entity.GetString("Effect")!, DomainJson.Options)!,
                entity.ETag,
                entity.GetDateTimeOffset("ClaimedUntil"),
                entity.GetInt32("Tries") ?? 0));
        }

        return items;
    }

    /// <summary>Claims the effect until <paramref name="until"/>; null when another dispatcher claimed or finished it first.</summary>
    public async Task<OutboxItem<TEffect>?> ClaimAsync(OutboxItem<TEffect> item, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var table = await storage.TableAsync(tableName, cancellationToken);
        var entity = new TableEntity(item.PartitionKey, item.RowKey) { ["ClaimedUntil"] = until, ["Tries"] = item.Tries + 1 };
        try
        {
            var response = await table.UpdateEntityAsync(entity, item.ETag, TableUpdateMode.Merge, cancellationToken);
            return item with { ETag = response.Headers.ETag ?? default, ClaimedUntil = until, Tries = item.Tries + 1 };
        }
        catch (RequestFailedException failure) when (failure.Status is 404 or 412)
        {
            return null;
        }
    }

    /// <summary>Gives a claimed effect back after a failed try, so the next dispatch retries it at once.</summary>
    public async Task ReleaseAsync(OutboxItem<TEffect> item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var table = await storage.TableAsync(tableName, cancellationToken);
        var entity = new TableEntity(item.PartitionKey, item.RowKey) { ["ClaimedUntil"] = DateTimeOffset.MinValue };
        try
        {
            await table.UpdateEntityAsync(entity, item.ETag, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException failure) when (failure.Status is 404 or 412)
        {
            // Taken over meanwhile; its new owner decides.
        }
    }

    /// <summary>The "after": the effect is done and leaves the outbox.</summary>
    public async Task CompleteAsync(OutboxItem<TEffect> item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var table = await storage.TableAsync(tableName, cancellationToken);
        await table.DeleteEntityAsync(item.PartitionKey, item.RowKey, item.ETag, cancellationToken);
    }
}

/// <summary>One effect waiting in an outbox; <see cref="RowKey"/> is stable, so it names the effect in mail and event ids.</summary>
public sealed record OutboxItem<TEffect>(
    string PartitionKey, string RowKey, TEffect Effect, ETag ETag, DateTimeOffset? ClaimedUntil, int Tries);
