using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace FastTrack.Core.Storage;

/// <summary>Blob Storage has no move: a server-side copy, then a delete of the source.</summary>
public static class BlobMove
{
    /// <summary>
    /// Moves version <paramref name="version"/> of <paramref name="source"/> to the same name in
    /// <paramref name="destination"/>, a container of the same account, with <paramref name="metadata"/>. The copy
    /// creates only, and copies only that version; the delete removes only that version.
    /// </summary>
    /// <exception cref="RequestFailedException">409 BlobAlreadyExists: the name is taken in the destination, and
    /// nothing moved. 412: the source changed since it was read; before the copy nothing moved, after it the copy
    /// stays and so does the newer source.</exception>
    public static async Task<BlobClient> MoveToAsync(
        this BlobClient source,
        ETag version,
        IDictionary<string, string> metadata,
        BlobContainerClient destination,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var target = destination.GetBlobClient(source.Name);
        // Within one account the copy needs no SAS: the request's own credential (the account key, or a token with
        // read access to the source) authorises reading the source.
        var copy = await target.StartCopyFromUriAsync(
            source.Uri,
            new BlobCopyFromUriOptions
            {
                Metadata = metadata,
                SourceConditions = new BlobRequestConditions { IfMatch = version },
                DestinationConditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            },
            cancellationToken);
        await copy.WaitForCompletionAsync(cancellationToken);
        await source.DeleteAsync(conditions: new BlobRequestConditions { IfMatch = version }, cancellationToken: cancellationToken);
        return target;
    }
}
