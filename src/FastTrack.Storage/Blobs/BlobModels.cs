using Azure;

namespace FastTrack.Storage.Blobs;

/// <summary>Preconditions on a blob write, read or delete; any that fails makes the service answer 412 (or 409).</summary>
public sealed class BlobRequestConditions
{
    /// <summary>Proceed only if the blob's ETag still matches (optimistic concurrency).</summary>
    public ETag? IfMatch { get; init; }

    /// <summary><see cref="ETag.All"/> makes a write create-only: 409 BlobAlreadyExists if the blob exists.</summary>
    public ETag? IfNoneMatch { get; init; }

    /// <summary>The active lease's id; required to write or delete a leased blob.</summary>
    public string? LeaseId { get; init; }
}

public sealed class BlobUploadOptions
{
    /// <summary>Stored with the blob and returned on download; the service's default is application/octet-stream.</summary>
    public string? ContentType { get; init; }

    /// <summary>Names must be C# identifiers (the service's rule); values are sent as ASCII header text.</summary>
    public IDictionary<string, string>? Metadata { get; init; }

    public BlobRequestConditions? Conditions { get; init; }

    /// <summary>
    /// The size of each block a stream is cut into, and the most the upload holds in memory. Content no larger than
    /// one block goes in a single Put Blob.
    /// </summary>
    public int BlockSize { get; init; } = 4 * 1024 * 1024;
}

public sealed class BlobCopyOptions
{
    /// <summary>The destination's metadata; when null the source's metadata is copied.</summary>
    public IDictionary<string, string>? Metadata { get; init; }

    /// <summary>Checked against the source blob (sent as x-ms-source-if-match and friends).</summary>
    public BlobRequestConditions? SourceConditions { get; init; }

    public BlobRequestConditions? DestinationConditions { get; init; }

    /// <summary>How often to look again while the service reports the copy as pending.</summary>
    public TimeSpan PendingPollInterval { get; init; } = TimeSpan.FromSeconds(1);
}

public enum BlobLeaseState
{
    Available,
    Leased,
    Expired,
    Breaking,
    Broken,
}

/// <summary>A blob's system properties and metadata, as returned by Get Blob Properties, Get Blob and List Blobs.</summary>
public sealed record BlobProperties(
    string ContentType,
    long ContentLength,
    ETag ETag,
    DateTimeOffset LastModified,
    IReadOnlyDictionary<string, string> Metadata,
    BlobLeaseState LeaseState);

/// <summary>The blob's new version after a write.</summary>
public sealed record BlobInfo(ETag ETag, DateTimeOffset LastModified);

public sealed record BlobItem(string Name, BlobProperties Properties);

/// <param name="LeaseId">Null after a release or a break.</param>
/// <param name="LeaseTime">After a break: seconds until the lease is broken.</param>
public sealed record BlobLease(ETag ETag, DateTimeOffset LastModified, string? LeaseId, int? LeaseTime);

/// <summary>A download in progress: <see cref="Content"/> reads from the network, so dispose it when done.</summary>
public sealed class BlobDownloadStreamingResult(Stream content, BlobProperties details) : IDisposable
{
    public Stream Content { get; } = content;

    public BlobProperties Details { get; } = details;

    public void Dispose() => Content.Dispose();
}
