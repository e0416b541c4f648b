using System.Xml;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace FastTrack.Storage.Core;

/// <summary>
/// Reads the error code from the <c>x-ms-error-code</c> header, which Storage sends on every failure (HEAD
/// responses included), and the message from an XML <c>&lt;Error&gt;</c> body when there is one. Azure.Core's default
/// parser only understands JSON bodies, which would leave <see cref="RequestFailedException.ErrorCode"/> null.
/// </summary>
internal sealed class StorageErrorParser : RequestFailedDetailsParser
{
    public static readonly StorageErrorParser Instance = new();

    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        data = null;
        error = response.Headers.TryGetValue("x-ms-error-code", out var code)
            ? new ResponseError(code, XmlMessage(response) ?? code)
            : null;
        return error is not null;
    }

    private static string? XmlMessage(Response response)
    {
        // Streaming downloads leave the body unbuffered; the code alone is enough there.
        if (response.ContentStream is not MemoryStream { Length: > 0 } body)
        {
            return null;
        }

        try
        {
            body.Position = 0;
            return XDocument.Load(body).Root?.Element("Message")?.Value;
        }
        catch (XmlException)
        {
            return null;
        }
        finally
        {
            body.Position = 0;
        }
    }
}
