using System.Buffers;
using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using FastTrack.Storage.Core;

namespace FastTrack.Storage.Blobs;

/// <summary>One block blob: streaming upload and download, properties, metadata, copy, move and leases.</summary>
public sealed class BlobClient
{
    internal BlobClient(StorageClientContext context, BlobContainerClient container, string blobName)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        Context = context;
        ContainerName = container.Name;
        Name = blobName;
        Uri = StorageProtocol.AppendPath(container.Uri, blobName);
    }

    public string Name { get; }

    public string ContainerName { get; }

    public Uri Uri { get; }

    internal StorageClientContext Context { get; }

    public Task<Response<BlobInfo>> UploadAsync(
        BinaryData content, BlobUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return UploadAsync(content.ToStream(), options, cancellationToken);
    }

    /// <summary>
    /// Uploads a stream of any length without holding more than one block (<see cref="BlobUploadOptions.BlockSize"/>)
    /// in memory: content that fits in one block goes in a single Put Blob; longer content is sent as blocks and
    /// committed by Put Block List, which carries the content type, metadata and conditions. Nothing is visible at the
    /// blob's name until that final request succeeds.
    /// </summary>
    /// <exception cref="RequestFailedException">409 BlobAlreadyExists for a create-only upload
    /// (<see cref="BlobRequestConditions.IfNoneMatch"/> = <see cref="ETag.All"/>) over an existing blob; 412 for a
    /// stale <see cref="BlobRequestConditions.IfMatch"/> or a missing or wrong lease id.</exception>
    public async Task<Response<BlobInfo>> UploadAsync(
        Stream content, BlobUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        options ??= new BlobUploadOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BlockSize, nameof(options));
        BlobProtocol.ValidateMetadata(options.Metadata, nameof(options));

        var buffer = ArrayPool<byte>.Shared.Rent(options.BlockSize);
        try
        {
            var block = buffer.AsMemory(0, options.BlockSize);
            var read = await content.ReadAtLeastAsync(block, block.Length, throwOnEndOfStream: false, cancellationToken)
                .ConfigureAwait(false);
            if (read < block.Length)
            {
                return await PutBlobAsync(block[..read], options, cancellationToken).ConfigureAwait(false);
            }

            // Block ids must all have the same length; a fresh prefix keeps a concurrent upload's blocks apart.
            var upload = Guid.NewGuid().ToString("N");
            var blockIds = new List<string>();
            while (read > 0)
            {
                var blockId = Convert.ToBase64String(Encoding.ASCII.GetBytes(
                    $"{upload}-{blockIds.Count.ToString("D6", CultureInfo.InvariantCulture)}"));
                await PutBlockAsync(blockId, block[..read], options.Conditions?.LeaseId, cancellationToken)
                    .ConfigureAwait(false);
                blockIds.Add(blockId);
                read = read < block.Length
                    ? 0
                    : await content.ReadAtLeastAsync(block, block.Length, throwOnEndOfStream: false, cancellationToken)
                        .ConfigureAwait(false);
            }

            return await PutBlockListAsync(blockIds, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Starts a download whose <see cref="BlobDownloadStreamingResult.Content"/> streams from the network; the
    /// response is not buffered. Dispose the result.
    /// </summary>
    public async Task<Response<BlobDownloadStreamingResult>> DownloadStreamingAsync(
        BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = Context.CreateMessage(RequestMethod.Get, Uri);
        message.BufferResponse = false;
        message.Request.SetConditions(conditions);
        var response = await Context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var content = message.ExtractResponseContent() ?? Stream.Null;
        return Response.FromValue(
            new BlobDownloadStreamingResult(content, BlobProtocol.ReadProperties(response)), response);
    }

    public async Task<Response<BlobProperties>> GetPropertiesAsync(
        BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = Context.CreateMessage(RequestMethod.Head, Uri);
        message.Request.SetConditions(conditions);
        var response = await Context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(BlobProtocol.ReadProperties(response), response);
    }

    public async Task<Response<bool>> ExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = Context.CreateMessage(RequestMethod.Head, Uri);
        var response = await Context.SendUnlessAsync(message, "BlobNotFound", cancellationToken).ConfigureAwait(false);
        return Response.FromValue(response is not null, response ?? message.Response);
    }

    /// <summary>Replaces all of the blob's metadata.</summary>
    public async Task<Response<BlobInfo>> SetMetadataAsync(
        IDictionary<string, string> metadata,
        BlobRequestConditions? conditions = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        BlobProtocol.ValidateMetadata(metadata, nameof(metadata));
        using var message = Context.CreateMessage(RequestMethod.Put, Uri);
        message.Request.Uri.AppendQuery("comp", "metadata");
        message.Request.SetMetadata(metadata);
        message.Request.SetConditions(conditions);
        var response = await Context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(BlobProtocol.ReadInfo(response), response);
    }

    public async Task<Response> DeleteAsync(
        BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = DeleteRequest(conditions);
        return await Context.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Response<bool>> DeleteIfExistsAsync(
        BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = DeleteRequest(conditions);
        var response = await Context.SendUnlessAsync(message, "BlobNotFound", cancellationToken).ConfigureAwait(false);
        return Response.FromValue(response is not null, response ?? message.Response);
    }

    /// <summary>
    /// Copies <paramref name="source"/> (a blob in the same account, which this request's credential authorises)
    /// to this blob, and waits while the service reports the copy as pending.
    /// </summary>
    public async Task<Response<BlobInfo>> CopyFromAsync(
        BlobClient source, BlobCopyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new BlobCopyOptions();
        BlobProtocol.ValidateMetadata(options.Metadata, nameof(options));
        using var message = Context.CreateMessage(RequestMethod.Put, Uri);
        message.Request.Headers.SetValue("x-ms-copy-source", source.Uri.AbsoluteUri);
        message.Request.SetMetadata(options.Metadata);
        message.Request.SetConditions(options.SourceConditions, source: true);
        message.Request.SetConditions(options.DestinationConditions);
        var response = await Context.SendAsync(message, cancellationToken).ConfigureAwait(false);

        var status = CopyStatus(response);
        while (status == "pending")
        {
            await Task.Delay(options.PendingPollInterval, cancellationToken).ConfigureAwait(false);
            using var poll = Context.CreateMessage(RequestMethod.Head, Uri);
            response = await Context.SendAsync(poll, cancellationToken).ConfigureAwait(false);
            status = CopyStatus(response);
        }

        return status == "success"
            ? Response.FromValue(BlobProtocol.ReadInfo(response), response)
            : throw new RequestFailedException(
                response.Status, $"Copying {source.Uri} to {Uri} ended as '{status}'.", "CopyFailed", null);
    }

    /// <summary>
    /// Moves this blob to the same name in <paramref name="destination"/>: a create-only copy of exactly the version
    /// read here (its metadata plus <paramref name="metadata"/>, which wins on equal names), then a delete of the
    /// source conditioned on that version. A source changed meanwhile fails with 412 and is not deleted; an existing
    /// destination fails with 409 BlobAlreadyExists.
    /// </summary>
    public async Task<Response<BlobClient>> MoveToAsync(
        BlobContainerClient destination,
        IDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        BlobProtocol.ValidateMetadata(metadata, nameof(metadata));
        var source = (await GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        var merged = new Dictionary<string, string>(source.Metadata, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in metadata ?? new Dictionary<string, string>())
        {
            merged[name] = value;
        }

        var target = destination.GetBlobClient(Name);
        await target.CopyFromAsync(
                this,
                new BlobCopyOptions
                {
                    Metadata = merged,
                    SourceConditions = new BlobRequestConditions { IfMatch = source.ETag },
                    DestinationConditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                },
                cancellationToken)
            .ConfigureAwait(false);
        var deleted = await DeleteAsync(new BlobRequestConditions { IfMatch = source.ETag }, cancellationToken)
            .ConfigureAwait(false);
        return Response.FromValue(target, deleted);
    }

    public BlobLeaseClient GetBlobLeaseClient(string? leaseId = null) => new(this, leaseId);

    private async Task<Response<BlobInfo>> PutBlobAsync(
        ReadOnlyMemory<byte> content, BlobUploadOptions options, CancellationToken cancellationToken)
    {
        using var message = CommitRequest(options);
        message.Request.Headers.SetValue("x-ms-blob-type", "BlockBlob");
        message.Request.Content = RequestContent.Create(content);
        var response = await Context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(BlobProtocol.ReadInfo(response), response);
    }

    private async Task PutBlockAsync(
        string blockId, ReadOnlyMemory<byte> content, string? leaseId, CancellationToken cancellationToken)
    {
        using var message = Context.CreateMessage(RequestMethod.Put, Uri);
        message.Request.Uri.AppendQuery("comp", "block");
        message.Request.Uri.AppendQuery("blockid", blockId);
        message.Request.SetConditions(new BlobRequestConditions { LeaseId = leaseId });
        message.Request.Content = RequestContent.Create(content);
        await Context.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Response<BlobInfo>> PutBlockListAsync(
        List<string> blockIds, BlobUploadOptions options, CancellationToken cancellationToken)
    {
        using var message = CommitRequest(options);
        message.Request.Uri.AppendQuery("comp", "blocklist");
        message.Request.SetXmlContent(new XElement("BlockList", blockIds.Select(id => new XElement("Latest", id))));
        var response = await Context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(BlobProtocol.ReadInfo(response), response);
    }

    /// <summary>A Put Blob or Put Block List: the request that makes content visible, so it carries everything else.</summary>
    private HttpMessage CommitRequest(BlobUploadOptions options)
    {
        var message = Context.CreateMessage(RequestMethod.Put, Uri);
        if (options.ContentType is { } contentType)
        {
            message.Request.Headers.SetValue("x-ms-blob-content-type", contentType);
        }

        message.Request.SetMetadata(options.Metadata);
        message.Request.SetConditions(options.Conditions);
        return message;
    }

    private HttpMessage DeleteRequest(BlobRequestConditions? conditions)
    {
        var message = Context.CreateMessage(RequestMethod.Delete, Uri);
        message.Request.SetConditions(conditions);
        return message;
    }

    private static string CopyStatus(Response response) =>
        response.Headers.TryGetValue("x-ms-copy-status", out var status) ? status : "success";
}
