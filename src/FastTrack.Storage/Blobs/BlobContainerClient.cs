using System.Globalization;
using Azure;
using Azure.Core;
using FastTrack.Storage.Core;

namespace FastTrack.Storage.Blobs;

/// <summary>One blob container: create, delete, list by prefix, and a <see cref="BlobClient"/> per blob.</summary>
public sealed class BlobContainerClient
{
    private readonly StorageClientContext _context;

    public BlobContainerClient(string connectionString, string containerName, StorageClientOptions? options = null)
        : this(StorageConnectionString.Parse(connectionString), containerName, options ?? new StorageClientOptions())
    {
    }

    public BlobContainerClient(
        Uri blobServiceEndpoint, string containerName, TokenCredential credential, StorageClientOptions? options = null)
        : this(
            StorageClientContext.Create(blobServiceEndpoint, credential, options ?? new StorageClientOptions()),
            containerName)
    {
    }

    private BlobContainerClient(StorageConnectionString account, string containerName, StorageClientOptions options)
        : this(
            StorageClientContext.Create(account.BlobEndpoint, StorageService.Blob, account.Credential, options),
            containerName)
    {
    }

    private BlobContainerClient(StorageClientContext context, string containerName)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerName);
        _context = context;
        Name = containerName;
        Uri = StorageProtocol.AppendPath(context.Endpoint, containerName);
    }

    public string Name { get; }

    public Uri Uri { get; }

    /// <summary>Creates the container; returns null when it already exists.</summary>
    public async Task<Response?> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = ContainerRequest(RequestMethod.Put);
        return await _context.SendUnlessAsync(message, "ContainerAlreadyExists", cancellationToken).ConfigureAwait(false);
    }

    public async Task<Response<bool>> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = ContainerRequest(RequestMethod.Delete);
        var response = await _context.SendUnlessAsync(message, "ContainerNotFound", cancellationToken)
            .ConfigureAwait(false);
        return Response.FromValue(response is not null, response ?? message.Response);
    }

    public BlobClient GetBlobClient(string blobName) => new(_context, this, blobName);

    /// <summary>
    /// Lists the blobs whose names start with <paramref name="prefix"/>, with their metadata, in name order, one
    /// service page at a time (at most <paramref name="pageSizeHint"/> per page; the service's default is 5,000).
    /// </summary>
    public AsyncPageable<BlobItem> GetBlobsAsync(
        string? prefix = null, int? pageSizeHint = null, CancellationToken cancellationToken = default) =>
        new ListBlobsPageable(this, prefix, pageSizeHint, cancellationToken);

    private HttpMessage ContainerRequest(RequestMethod method)
    {
        var message = _context.CreateMessage(method, Uri);
        message.Request.Uri.AppendQuery("restype", "container");
        return message;
    }

    private async Task<Page<BlobItem>> ListPageAsync(
        string? prefix, string? marker, int? pageSize, CancellationToken cancellationToken)
    {
        using var message = ContainerRequest(RequestMethod.Get);
        var uri = message.Request.Uri;
        uri.AppendQuery("comp", "list");
        uri.AppendQuery("include", "metadata");
        if (!string.IsNullOrEmpty(prefix))
        {
            uri.AppendQuery("prefix", prefix);
        }

        if (!string.IsNullOrEmpty(marker))
        {
            uri.AppendQuery("marker", marker);
        }

        if (pageSize is { } size)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size, "pageSizeHint");
            uri.AppendQuery("maxresults", size.ToString(CultureInfo.InvariantCulture));
        }

        var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var results = StorageProtocol.ReadXml(response);
        var items = (results.Element("Blobs")?.Elements("Blob") ?? []).Select(BlobProtocol.ReadItem).ToList();
        var next = results.Element("NextMarker")?.Value;
        return Page<BlobItem>.FromValues(items, string.IsNullOrEmpty(next) ? null : next, response);
    }

    /// <summary>Follows NextMarker lazily: a page is fetched only when the caller reaches it.</summary>
    private sealed class ListBlobsPageable(
        BlobContainerClient container, string? prefix, int? defaultPageSize, CancellationToken cancellationToken)
        : AsyncPageable<BlobItem>(cancellationToken)
    {
        public override async IAsyncEnumerable<Page<BlobItem>> AsPages(
            string? continuationToken = null, int? pageSizeHint = null)
        {
            var marker = continuationToken;
            do
            {
                var page = await container
                    .ListPageAsync(prefix, marker, pageSizeHint ?? defaultPageSize, CancellationToken)
                    .ConfigureAwait(false);
                yield return page;
                marker = page.ContinuationToken;
            }
            while (marker is not null);
        }
    }
}
