using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FastTrack.Domain.Privacy;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;

namespace FastTrack.Core.Privacy;

/// <summary>
/// Personal data requests (SPEC §10): a row each in table <c>PrivacyRequests</c>, a <see cref="PrivacyRequestWorkflow"/>
/// to carry it out, and its result in blob <c>privacy-results/{id}.json</c>. The row holds
/// the person's email address (and the values an erasure searches for) only while the request is open; afterwards only its key (<see cref="PersonalData.EmailKey"/>).
/// </summary>
public sealed class PrivacyRequests(StorageResources storage)
{
    public const string TableName = "PrivacyRequests";
    public const string ResultsContainer = "privacy-results";
    private const string Partition = "request";

    public async Task AddAsync(PrivacyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var table = await storage.TableAsync(TableName, cancellationToken);
        await table.AddEntityAsync(
            new TableEntity(Partition, request.Id)
            {
                ["Kind"] = request.Kind.ToString(),
                ["Status"] = request.Status.ToString(),
                ["Email"] = request.Email,
                ["EmailKey"] = PersonalData.EmailKey(request.Email),
                ["ReceivedAt"] = request.ReceivedAt,
            },
            cancellationToken);
    }

    /// <summary>Records when the request's workflow was (last) started, so the sweep can tell one that never was.</summary>
    public async Task MarkStartedAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(Partition, id) { ["StartedAt"] = now }, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task<StoredPrivacyRequest?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        return row.HasValue ? Read(row.Value!) : null;
    }

    /// <summary>Every request not yet completed, oldest first.</summary>
    public Task<IReadOnlyList<StoredPrivacyRequest>> OpenAsync(CancellationToken cancellationToken) =>
        QueryAsync($"PartitionKey eq {Partition} and Status eq {nameof(PrivacyRequestStatus.Received)}", cancellationToken);

    /// <summary>Completed exports about the person whose result is still kept.</summary>
    public async Task<IReadOnlyList<StoredPrivacyRequest>> KeptExportsAsync(string emailKey, CancellationToken cancellationToken) =>
        // Not "ResultErased ne true" in the filter: a comparison with a property a row lacks is false.
        (await QueryAsync(
            $"PartitionKey eq {Partition} and EmailKey eq {emailKey} and Kind eq {nameof(PrivacyRequestKind.Export)} and Status eq {nameof(PrivacyRequestStatus.Completed)}",
            cancellationToken)).Where(stored => !stored.ResultErased).ToList();

    /// <summary>
    /// Records the person's values an erasure searches kept emails for, before it erases them from the referrals, so a
    /// retry after a crash still has them. Kept only while the request is open.
    /// </summary>
    public async Task<StoredPrivacyRequest> RememberAsync(StoredPrivacyRequest stored, IEnumerable<string> values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var all = stored.Values.Concat(values).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var table = await storage.TableAsync(TableName, cancellationToken);
        await table.UpsertEntityAsync(
            new TableEntity(Partition, stored.Request.Id) { ["Values"] = JsonSerializer.Serialize(all) }, TableUpdateMode.Merge, cancellationToken);
        return (await GetAsync(stored.Request.Id, cancellationToken))!;
    }

    /// <summary>
    /// Stores the result, then marks the request completed and drops its email address. Returns false when another
    /// worker completed it first (its result stands, or this one if written last: both were computed the same way).
    /// </summary>
    public async Task<bool> CompleteAsync(StoredPrivacyRequest stored, object result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var results = await storage.ContainerAsync(ResultsContainer, cancellationToken);
        // Overwrite: a worker that completes the request again (a retry, or another worker) computed the same result.
        await results.GetBlobClient(BlobName(stored.Request.Id))
            .UploadAsync(BinaryData.FromObjectAsJson(result, JsonSerializerOptions.Web), overwrite: true, cancellationToken);
        var table = await storage.TableAsync(TableName, cancellationToken);
        for (var current = stored; current.Request.Status == PrivacyRequestStatus.Received;)
        {
            var completed = current.Request.Complete(now);
            var row = new TableEntity(Partition, completed.Id)
            {
                ["Kind"] = completed.Kind.ToString(),
                ["Status"] = completed.Status.ToString(),
                ["EmailKey"] = current.EmailKey,
                ["ReceivedAt"] = completed.ReceivedAt,
                ["CompletedAt"] = completed.CompletedAt!.Value,
            };
            try
            {
                // Replace, not merge: the Email property must go.
                await table.UpdateEntityAsync(row, current.ETag, TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            catch (RequestFailedException failure) when (failure.Status == 412)
            {
                // Started again or completed meanwhile: complete it unless another worker did.
                current = (await GetAsync(completed.Id, cancellationToken))!;
            }
        }

        return false;
    }

    /// <summary>The stored result as JSON; null when there is none (not completed, or an export erased since).</summary>
    public async Task<JsonElement?> ResultAsync(string id, CancellationToken cancellationToken)
    {
        var results = await storage.ContainerAsync(ResultsContainer, cancellationToken);
        var blob = results.GetBlobClient(BlobName(id));
        try
        {
            using var download = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value;
            return await JsonSerializer.DeserializeAsync<JsonElement>(download.Content, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException missing) when (missing.Status == 404)
        {
            return null;
        }
    }

    /// <summary>An export's result holds the person's data: their erasure deletes it, and the request says so.</summary>
    public async Task EraseResultAsync(string id, CancellationToken cancellationToken)
    {
        var results = await storage.ContainerAsync(ResultsContainer, cancellationToken);
        await results.GetBlobClient(BlobName(id)).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        var table = await storage.TableAsync(TableName, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(Partition, id) { ["ResultErased"] = true }, TableUpdateMode.Merge, cancellationToken);
    }

    private async Task<IReadOnlyList<StoredPrivacyRequest>> QueryAsync(FormattableString filter, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        return await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter(filter), cancellationToken: cancellationToken)
            .Select(Read).OrderBy(stored => stored.Request.ReceivedAt).ToListAsync(cancellationToken);
    }

    private static StoredPrivacyRequest Read(TableEntity row) => new(
        new PrivacyRequest(
            row.RowKey,
            Enum.Parse<PrivacyRequestKind>(row.GetString("Kind")!),
            row.GetString("Email") ?? string.Empty,
            row.GetDateTimeOffset("ReceivedAt")!.Value,
            Enum.Parse<PrivacyRequestStatus>(row.GetString("Status")!),
            row.GetDateTimeOffset("CompletedAt")),
        row.GetString("EmailKey")!,
        JsonSerializer.Deserialize<string[]>(row.GetString("Values") ?? "[]")!,
        row.GetDateTimeOffset("StartedAt"),
        row.GetBoolean("ResultErased") == true,
        row.ETag);

    private static string BlobName(string id) => id + ".json";
}

/// <summary>
/// A request as stored: <see cref="PrivacyRequest.Email"/> and <see cref="Values"/> (the person's values an erasure
/// searches for) are empty once it is completed.
/// </summary>
public sealed record StoredPrivacyRequest(
    PrivacyRequest Request, string EmailKey, IReadOnlyList<string> Values, DateTimeOffset? StartedAt, bool ResultErased, ETag ETag);
