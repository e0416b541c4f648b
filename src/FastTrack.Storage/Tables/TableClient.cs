using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Core;
using FastTrack.Storage.Core;

namespace FastTrack.Storage.Tables;

/// <summary>
/// One table of an Azure Table Storage account (or Azurite): the table itself, its entities, queries that follow
/// continuation tokens, and entity group transactions. Shaped like Azure.Data.Tables' <c>TableClient</c>.
/// </summary>
/// <remarks>
/// Failures throw <see cref="RequestFailedException"/> with the service's status and error code
/// (404 ResourceNotFound, 409 EntityAlreadyExists, 412 UpdateConditionNotSatisfied, …). Retries are Azure.Core's,
/// configured through <see cref="ClientOptions.Retry"/>.
/// </remarks>
public sealed class TableClient
{
    /// <summary>Minimal metadata: the service then annotates the types JSON cannot carry and adds each ETag.</summary>
    internal const string AcceptJson = "application/json;odata=minimalmetadata";

    /// <summary>The entity is missing; a missing table (404 TableNotFound) is a failure, not an absent entity.</summary>
    private static readonly ToleratedError EntityNotFound = new(404, "ResourceNotFound");

    private readonly StorageClientContext _context;
    private readonly string _serviceUri;

    public TableClient(string connectionString, string tableName, StorageClientOptions? options = null)
    {
        var account = StorageConnectionString.Parse(connectionString);
        _context = StorageClientContext.Create(
            account.TableEndpoint, StorageService.Table, account.Credential, options ?? new StorageClientOptions());
        (_serviceUri, Name, Uri) = Locate(account.TableEndpoint, tableName);
    }

    public TableClient(
        Uri tableServiceEndpoint, string tableName, TokenCredential credential, StorageClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tableServiceEndpoint);
        ArgumentNullException.ThrowIfNull(credential);
        _context = StorageClientContext.Create(tableServiceEndpoint, credential, options ?? new StorageClientOptions());
        (_serviceUri, Name, Uri) = Locate(tableServiceEndpoint, tableName);
    }

    public string Name { get; }

    public Uri Uri { get; }

    /// <summary>
    /// An OData filter from an interpolated string whose values are written as literals: strings quoted with
    /// embedded quotes doubled, <c>datetime'…'</c>, <c>guid'…'</c>, <c>123L</c>, <c>true</c>, <c>X'…'</c>.
    /// </summary>
    /// <example><c>CreateQueryFilter($"PartitionKey eq {referralId} and Due lt {now}")</c></example>
    public static string CreateQueryFilter(FormattableString filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var literals = filter.GetArguments().Select(TableODataLiterals.Format).ToArray<object?>();
        return string.Format(CultureInfo.InvariantCulture, filter.Format, literals);
    }

    /// <summary>Creates the table; answers 204 if created and 409 (without throwing) if it already existed.</summary>
    public async Task<Response> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Post, new Uri(_serviceUri + "/Tables"));
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        SetJson(message, BinaryData.FromObjectAsJson(new { TableName = Name }));
        return await SendAsync(message, new(409, "TableAlreadyExists"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the table; answers 404 (without throwing) if there was none.</summary>
    public async Task<Response> DeleteAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(
            RequestMethod.Delete, new Uri($"{_serviceUri}/Tables({KeyLiteral(Name)})"));
        return await SendAsync(message, new(404, ErrorCode: null), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one entity; throws <see cref="RequestFailedException"/> with status 404 if it is not there.</summary>
    public async Task<Response<TableEntity>> GetEntityAsync(
        string partitionKey,
        string rowKey,
        IEnumerable<string>? select = null,
        CancellationToken cancellationToken = default)
    {
        var found = await GetEntityIfExistsAsync(partitionKey, rowKey, select, cancellationToken).ConfigureAwait(false);
        return found.HasValue
            ? Response.FromValue(found.Value!, found.GetRawResponse())
            : throw new RequestFailedException(found.GetRawResponse(), null, TableErrorParser.Instance);
    }

    /// <summary>Reads one entity, or nothing (<see cref="NullableResponse{T}.HasValue"/> false) if it is not there.</summary>
    public async Task<NullableResponse<TableEntity>> GetEntityIfExistsAsync(
        string partitionKey,
        string rowKey,
        IEnumerable<string>? select = null,
        CancellationToken cancellationToken = default)
    {
        var query = select is null ? string.Empty : "?$select=" + SelectList(select);
        using var message = CreateMessage(RequestMethod.Get, new Uri(EntityUri(partitionKey, rowKey) + query));
        var response = await SendAsync(message, EntityNotFound, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404)
        {
            return new MissingEntityResponse(response);
        }

        using var json = JsonDocument.Parse(response.Content.ToMemory());
        var entity = TableEntityJson.Deserialize(json.RootElement);
        if (entity.ETag == default && response.Headers.ETag is { } etag)
        {
            entity.ETag = etag;
        }

        return Response.FromValue(entity, response);
    }

    /// <summary>Inserts; throws with status 409 (EntityAlreadyExists) if the entity exists. The new ETag is in the headers.</summary>
    public async Task<Response> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        using var message = CreateMessage(RequestMethod.Post, Uri);
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        SetJson(message, TableEntityJson.Serialize(entity));
        return await SendAsync(message, tolerated: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts, or merges into / replaces the existing entity whatever its version.</summary>
    public async Task<Response> UpsertEntityAsync(
        TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return await WriteAsync(entity, mode, ifMatch: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Updates an existing entity if its version is still <paramref name="ifMatch"/> (<see cref="ETag.All"/>: any);
    /// throws with status 412 (UpdateConditionNotSatisfied) if it changed and 404 if it is gone.
    /// </summary>
    public async Task<Response> UpdateEntityAsync(
        TableEntity entity,
        ETag ifMatch,
        TableUpdateMode mode = TableUpdateMode.Merge,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (ifMatch == default)
        {
            throw new ArgumentException(
                $"An update needs the ETag it expects; pass {nameof(ETag)}.{nameof(ETag.All)} to overwrite any version.",
                nameof(ifMatch));
        }

        return await WriteAsync(entity, mode, ifMatch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes if the entity's version is <paramref name="ifMatch"/> (default: any version); throws with status 412 if
    /// it changed. An entity that is already gone answers 404 without throwing.
    /// </summary>
    public async Task<Response> DeleteEntityAsync(
        string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete, EntityUri(partitionKey, rowKey));
        message.Request.Headers.SetValue("If-Match", (ifMatch == default ? ETag.All : ifMatch).ToString("H"));
        return await SendAsync(message, EntityNotFound, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The entities matching <paramref name="filter"/> (build it with <see cref="CreateQueryFilter"/>), following
    /// continuation tokens as it is enumerated. <paramref name="maxPerPage"/> caps a page (the service's cap is 1,000);
    /// <paramref name="select"/> limits the properties returned.
    /// </summary>
    public AsyncPageable<TableEntity> QueryAsync(
        string? filter = null,
        int? maxPerPage = null,
        IEnumerable<string>? select = null,
        CancellationToken cancellationToken = default)
    {
        if (maxPerPage is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPerPage), maxPerPage, "A page holds 1 to 1,000 entities.");
        }

        var selectList = select is null ? null : SelectList(select);
        return new TableQueryPageable(
            (token, pageSize, ct) => QueryPageAsync(filter, pageSize, selectList, token, ct), maxPerPage, cancellationToken);
    }

    /// <summary>
    /// Commits all actions atomically as one entity group transaction, or none of them. Refuses, before sending,
    /// anything the service would refuse: no actions, more than 100, more than one partition key, a row key twice.
    /// On failure throws <see cref="TableTransactionFailedException"/> with the failing action's status and index.
    /// </summary>
    /// <returns>One response per action, in order, each with the entity's new ETag (none for a delete).</returns>
    public async Task<Response<IReadOnlyList<Response>>> SubmitTransactionAsync(
        IEnumerable<TableTransactionAction> transactionActions, CancellationToken cancellationToken = default)
    {
        var actions = TableBatch.Validate(transactionActions);
        var boundary = "batch_" + Guid.NewGuid().ToString("N");
        var body = TableBatch.Write(boundary, actions, e => EntityUri(e.PartitionKey, e.RowKey), Uri);

        using var message = CreateMessage(RequestMethod.Post, new Uri(_serviceUri + "/$batch"));
        message.Request.Headers.SetValue("Content-Type", "multipart/mixed; boundary=" + boundary);
        message.Request.Content = RequestContent.Create(BinaryData.FromString(body));
        await _context.Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        if (response.IsError)
        {
            // The service refused the batch as a whole (malformed, too large), not one of its actions.
            throw new TableTransactionFailedException(response, null);
        }

        var parts = TableBatch.Read(response);
        if (parts.FirstOrDefault(p => p.IsError) is { } failure)
        {
            throw new TableTransactionFailedException(failure, TableBatch.FailedIndex(failure));
        }

        if (parts.Count != actions.Count)
        {
            throw new FormatException($"The $batch response has {parts.Count} parts for {actions.Count} actions.");
        }

        return Response.FromValue<IReadOnlyList<Response>>(parts, response);
    }

    private async Task<Page<TableEntity>> QueryPageAsync(
        string? filter, int? top, string? selectList, string? continuationToken, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (filter is not null)
        {
            query.Add("$filter=" + Uri.EscapeDataString(filter));
        }

        if (top is { } pageSize)
        {
            query.Add("$top=" + pageSize.ToString(CultureInfo.InvariantCulture));
        }

        if (selectList is not null)
        {
            query.Add("$select=" + selectList);
        }

        if (continuationToken is not null)
        {
            var (nextPartitionKey, nextRowKey) = TableQueryPageable.SplitToken(continuationToken);
            query.Add("NextPartitionKey=" + Uri.EscapeDataString(nextPartitionKey));
            if (nextRowKey is not null)
            {
                query.Add("NextRowKey=" + Uri.EscapeDataString(nextRowKey));
            }
        }

        var uri = $"{Uri}()" + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty);
        using var message = CreateMessage(RequestMethod.Get, new Uri(uri));
        var response = await SendAsync(message, tolerated: null, cancellationToken).ConfigureAwait(false);

        using var json = JsonDocument.Parse(response.Content.ToMemory());
        var entities = json.RootElement.GetProperty("value").EnumerateArray().Select(TableEntityJson.Deserialize).ToList();
        var nextToken = TableQueryPageable.JoinToken(
            response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var npk) ? npk : null,
            response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nrk) ? nrk : null);
        return Page<TableEntity>.FromValues(entities, nextToken, response);
    }

    private async Task<Response> WriteAsync(
        TableEntity entity, TableUpdateMode mode, ETag? ifMatch, CancellationToken cancellationToken)
    {
        var method = mode == TableUpdateMode.Merge ? new RequestMethod("MERGE") : RequestMethod.Put;
        using var message = CreateMessage(method, EntityUri(entity.PartitionKey, entity.RowKey));
        if (ifMatch is { } etag)
        {
            message.Request.Headers.SetValue("If-Match", etag.ToString("H"));
        }

        SetJson(message, TableEntityJson.Serialize(entity));
        return await SendAsync(message, tolerated: null, cancellationToken).ConfigureAwait(false);
    }

    private HttpMessage CreateMessage(RequestMethod method, Uri uri)
    {
        var message = _context.CreateMessage(method, uri);
        message.Request.Headers.SetValue("Accept", AcceptJson);
        message.Request.Headers.SetValue("DataServiceVersion", "3.0");
        message.Request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        return message;
    }

    private static void SetJson(HttpMessage message, BinaryData json)
    {
        message.Request.Headers.SetValue("Content-Type", "application/json");
        message.Request.Content = RequestContent.Create(json);
    }

    /// <summary>Sends; an error status throws, except the <paramref name="tolerated"/> one, which the caller handles.</summary>
    private async Task<Response> SendAsync(HttpMessage message, ToleratedError? tolerated, CancellationToken cancellationToken)
    {
        await _context.Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        var isTolerated = tolerated is { } error && response.Status == error.Status &&
                          (error.ErrorCode is null || TableErrorParser.Read(response).Code == error.ErrorCode);
        return response.IsError && !isTolerated
            ? throw new RequestFailedException(response, null, TableErrorParser.Instance)
            : response;
    }

    private Uri EntityUri(string partitionKey, string rowKey)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentNullException.ThrowIfNull(rowKey);
        return new Uri($"{Uri}(PartitionKey={KeyLiteral(partitionKey)},RowKey={KeyLiteral(rowKey)})");
    }

    /// <summary>A quoted key for a URL path: quotes doubled as OData wants, then percent-encoded for the URL.</summary>
    private static string KeyLiteral(string key) =>
        "'" + Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal)) + "'";

    private static string SelectList(IEnumerable<string> select) =>
        Uri.EscapeDataString(string.Join(',', select));

    private static (string ServiceUri, string Name, Uri TableUri) Locate(Uri endpoint, string tableName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        var serviceUri = endpoint.AbsoluteUri.TrimEnd('/');
        return (serviceUri, tableName, new Uri($"{serviceUri}/{tableName}"));
    }

    /// <summary>An error answer that a method reports as a result rather than throwing; any code if null.</summary>
    private readonly record struct ToleratedError(int Status, string? ErrorCode);
}
