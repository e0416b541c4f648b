using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;

namespace FastTrack.Storage.Tables;

/// <summary>One operation's response inside a <c>$batch</c> response (status, headers such as ETag, body).</summary>
internal sealed class TransactionPartResponse(
    int status, string reasonPhrase, IReadOnlyList<HttpHeader> headers, BinaryData content, string clientRequestId)
    : Response
{
    public override int Status => status;

    public override string ReasonPhrase => reasonPhrase;

    public override bool IsError => status >= 400;

    // Azure.Core reads Response.Content only from a MemoryStream ("fully buffered").
    public override Stream? ContentStream { get; set; } = Buffered(content.ToArray());

    public override string ClientRequestId { get; set; } = clientRequestId;

    public override void Dispose() => ContentStream?.Dispose();

    protected override bool ContainsHeader(string name) => headers.Any(h => Is(h, name));

    protected override IEnumerable<HttpHeader> EnumerateHeaders() => headers;

    protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
    {
        value = headers.FirstOrDefault(h => Is(h, name)).Value;
        return value is not null;
    }

    protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
    {
        var found = headers.Where(h => Is(h, name)).Select(h => h.Value).ToList();
        values = found.Count > 0 ? found : null;
        return values is not null;
    }

    private static MemoryStream Buffered(byte[] bytes) =>
        new(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);

    private static bool Is(HttpHeader header, string name) =>
        string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase);
}
