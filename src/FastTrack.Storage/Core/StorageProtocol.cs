using System.Globalization;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace FastTrack.Storage.Core;

/// <summary>Small pieces of the Blob and Queue REST protocol that both clients speak the same way.</summary>
internal static class StorageProtocol
{
    /// <summary>Appends a '/'-separated path to an endpoint, escaping each segment but keeping the separators.</summary>
    public static Uri AppendPath(Uri baseUri, string path)
    {
        var escaped = string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
        return new Uri($"{baseUri.AbsoluteUri.TrimEnd('/')}/{escaped}");
    }

    /// <summary>Storage writes times as RFC 1123 ("Fri, 09 Oct 2009 21:04:30 GMT") in headers and XML alike.</summary>
    public static DateTimeOffset ParseDate(string value) =>
        DateTimeOffset.ParseExact(value, "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static string RequiredHeader(Response response, string name) =>
        response.Headers.TryGetValue(name, out var value)
            ? value
            : throw new InvalidOperationException($"The storage response has no {name} header.");

    public static DateTimeOffset DateHeader(Response response, string name) =>
        ParseDate(RequiredHeader(response, name));

    /// <summary>Whole seconds, rounded up so that a delay never ends early.</summary>
    public static long Seconds(TimeSpan value) => (long)Math.Ceiling(value.TotalSeconds);

    public static XElement ReadXml(Response response) =>
        XDocument.Load(response.ContentStream ?? throw new InvalidOperationException("The storage response has no body.")).Root
        ?? throw new InvalidOperationException("The storage response has an empty XML body.");

    public static void SetXmlContent(this Request request, XElement body)
    {
        request.Headers.SetValue("Content-Type", "application/xml; charset=utf-8");
        request.Content = RequestContent.Create(BinaryData.FromString(body.ToString(SaveOptions.DisableFormatting)));
    }

    /// <summary>
    /// Sends, and returns null instead of throwing when the service answers with <paramref name="errorCode"/>:
    /// the "IfExists"/"IfNotExists" operations treat that one outcome as success.
    /// </summary>
    public static async Task<Response?> SendUnlessAsync(
        this StorageClientContext context, HttpMessage message, string errorCode, CancellationToken cancellationToken)
    {
        try
        {
            return await context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException failure) when (failure.ErrorCode == errorCode)
        {
            return null;
        }
    }
}
