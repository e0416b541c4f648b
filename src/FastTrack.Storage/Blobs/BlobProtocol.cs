using System.Globalization;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using FastTrack.Storage.Core;

namespace FastTrack.Storage.Blobs;

/// <summary>Blob headers both ways: conditions and metadata on requests, properties from responses and listings.</summary>
internal static class BlobProtocol
{
    private const string MetadataPrefix = "x-ms-meta-";

    public static void SetConditions(this Request request, BlobRequestConditions? conditions, bool source = false)
    {
        if (conditions is null)
        {
            return;
        }

        var prefix = source ? "x-ms-source-" : string.Empty;
        if (conditions.IfMatch is { } ifMatch)
        {
            request.Headers.SetValue(prefix + "If-Match", ifMatch.ToString());
        }

        if (conditions.IfNoneMatch is { } ifNoneMatch)
        {
            request.Headers.SetValue(prefix + "If-None-Match", ifNoneMatch.ToString());
        }

        if (conditions.LeaseId is { } leaseId)
        {
            request.Headers.SetValue(source ? "x-ms-source-lease-id" : "x-ms-lease-id", leaseId);
        }
    }

    public static void SetMetadata(this Request request, IDictionary<string, string>? metadata)
    {
        foreach (var (name, value) in metadata ?? new Dictionary<string, string>())
        {
            request.Headers.SetValue(MetadataPrefix + name, value);
        }
    }

    /// <summary>
    /// Refuses what the service would refuse (names that are not C# identifiers) and what HTTP cannot carry in a
    /// header (non-ASCII or control characters), before any content is read or sent.
    /// </summary>
    public static void ValidateMetadata(IDictionary<string, string>? metadata, string parameterName)
    {
        foreach (var (name, value) in metadata ?? new Dictionary<string, string>())
        {
            if (name.Length == 0 || char.IsAsciiDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw new ArgumentException($"Metadata name '{name}' is not a C# identifier.", parameterName);
            }

            if (!value.All(c => c is >= ' ' and <= '~'))
            {
                throw new ArgumentException($"Metadata '{name}' has a value that is not printable ASCII.", parameterName);
            }
        }
    }

    public static BlobProperties ReadProperties(Response response)
    {
        var headers = response.Headers;
        var metadata = headers
            .Where(h => h.Name.StartsWith(MetadataPrefix, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Name[MetadataPrefix.Length..], h => h.Value, StringComparer.OrdinalIgnoreCase);
        return new BlobProperties(
            headers.ContentType ?? string.Empty,
            headers.ContentLength ?? 0,
            headers.ETag ?? default,
            StorageProtocol.DateHeader(response, "Last-Modified"),
            metadata,
            LeaseState(headers.TryGetValue("x-ms-lease-state", out var state) ? state : null));
    }

    public static BlobItem ReadItem(XElement blob)
    {
        var properties = blob.Element("Properties") ?? new XElement("Properties");
        string? Property(string name) => properties.Element(name)?.Value;
        var metadata = (blob.Element("Metadata")?.Elements() ?? [])
            .ToDictionary(e => e.Name.LocalName, e => e.Value, StringComparer.OrdinalIgnoreCase);
        return new BlobItem(
            blob.Element("Name")?.Value ?? throw new InvalidOperationException("A listed blob has no name."),
            new BlobProperties(
                Property("Content-Type") ?? string.Empty,
                long.Parse(Property("Content-Length") ?? "0", CultureInfo.InvariantCulture),
                new ETag(Property("Etag") ?? string.Empty),
                StorageProtocol.ParseDate(Property("Last-Modified") ?? throw new InvalidOperationException("A listed blob has no Last-Modified.")),
                metadata,
                LeaseState(Property("LeaseState"))));
    }

    public static BlobInfo ReadInfo(Response response) =>
        new(response.Headers.ETag ?? default, StorageProtocol.DateHeader(response, "Last-Modified"));

    private static BlobLeaseState LeaseState(string? value) =>
        value is null ? BlobLeaseState.Available : Enum.Parse<BlobLeaseState>(value, ignoreCase: true);
}
