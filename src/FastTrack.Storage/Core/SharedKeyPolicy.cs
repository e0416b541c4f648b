using System.Globalization;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FastTrack.Storage.Core;

/// <summary>
/// Signs the request with SharedKey. It runs per retry, after Azure.Core and our headers policy have set every
/// header, so each attempt carries a signature over exactly what is sent.
/// See "Authorize with Shared Key" in the Azure Storage REST reference for both string-to-sign forms.
/// </summary>
internal sealed class SharedKeyPolicy(StorageSharedKeyCredential credential, StorageService service)
    : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var signature = credential.Sign(service == StorageService.Table
            ? TableStringToSign(request)
            : BlobQueueStringToSign(request));
        request.Headers.SetValue("Authorization", $"SharedKey {credential.AccountName}:{signature}");
    }

    private string TableStringToSign(Request request) => string.Join('\n',
        request.Method.Method,
        Header(request, "Content-MD5"),
        Header(request, "Content-Type"),
        Header(request, "x-ms-date"),
        CanonicalizedResource(request, onlyComp: true));

    private string BlobQueueStringToSign(Request request)
    {
        var contentLength = request.Content is not null && request.Content.TryComputeLength(out var length) && length > 0
            ? length.ToString(CultureInfo.InvariantCulture)
            : string.Empty;
        var builder = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(Header(request, "Content-Encoding")).Append('\n')
            .Append(Header(request, "Content-Language")).Append('\n')
            .Append(contentLength).Append('\n')
            .Append(Header(request, "Content-MD5")).Append('\n')
            .Append(Header(request, "Content-Type")).Append('\n')
            .Append('\n') // Date: empty, x-ms-date is signed among the canonicalized headers
            .Append(Header(request, "If-Modified-Since")).Append('\n')
            .Append(Header(request, "If-Match")).Append('\n')
            .Append(Header(request, "If-None-Match")).Append('\n')
            .Append(Header(request, "If-Unmodified-Since")).Append('\n')
            .Append(Header(request, "Range")).Append('\n');
        foreach (var header in request.Headers
                     .Where(h => h.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .Select(h => (Name: h.Name.ToLowerInvariant(), Value: h.Value.Trim()))
                     .OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            builder.Append(header.Name).Append(':').Append(header.Value).Append('\n');
        }

        return builder.Append(CanonicalizedResource(request, onlyComp: false)).ToString();
    }

    // With path-style URLs (Azurite) the path already starts with the account name, which therefore appears twice.
    private string CanonicalizedResource(Request request, bool onlyComp)
    {
        var uri = request.Uri.ToUri();
        var builder = new StringBuilder("/").Append(credential.AccountName).Append(uri.AbsolutePath);
        var parameters = ParseQuery(uri.Query);
        if (onlyComp)
        {
            return parameters.TryGetValue("comp", out var comp) ? $"{builder}?comp={string.Join(',', comp)}" : builder.ToString();
        }

        foreach (var (name, values) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            builder.Append('\n').Append(name).Append(':')
                .Append(string.Join(',', values.Order(StringComparer.Ordinal)));
        }

        return builder.ToString();
    }

    private static Dictionary<string, List<string>> ParseQuery(string query)
    {
        var parameters = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var name = Uri.UnescapeDataString(parts[0]).ToLowerInvariant();
            var value = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty;
            if (!parameters.TryGetValue(name, out var values))
            {
                parameters[name] = values = [];
            }

            values.Add(value);
        }

        return parameters;
    }

    private static string Header(Request request, string name) =>
        request.Headers.TryGetValue(name, out var value) ? value : string.Empty;
}
