using System.Net.Http.Headers;
using System.Text;

namespace FastTrack.DevHost.Tests.BadInput;

/// <summary>
/// One malformed or hostile request of the corpus, held as plain values (not an <see cref="HttpRequestMessage"/>) so
/// that a failure prints exactly what was sent and the request can be sent again by hand.
/// </summary>
internal sealed record HostileRequest(string Route, HttpMethod Method, string Path, string What)
{
    public const string LinkRoute = "/api/links/{token}";

    public string? Key { get; init; }

    public string? LinkToken { get; init; }

    public string? Accept { get; init; }

    /// <summary>Sent as is, without validation, so that a malformed header reaches the app.</summary>
    public string? ContentType { get; init; }

    public byte[]? Body { get; init; }

    /// <summary>A write: whatever it holds, it must be refused with a 4xx and must store nothing.</summary>
    public bool MustRefuse => Method != HttpMethod.Get;

    /// <summary>API.md fixes a partner link's refusals as a page, or as the link JSON to a caller asking for JSON.</summary>
    public bool IsLinkRoute => Route == LinkRoute;

    public bool WantsJson => Accept?.Contains("json", StringComparison.Ordinal) == true;

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, new Uri(Path, UriKind.Relative));
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        if (Key is not null)
        {
            message.Headers.TryAddWithoutValidation("x-functions-key", Key);
        }

        if (LinkToken is not null)
        {
            message.Headers.TryAddWithoutValidation("x-link-token", LinkToken);
        }

        if (Accept is not null)
        {
            message.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(Accept));
        }

        return message;
    }

    public override string ToString()
    {
        var body = Body is null ? "none" : $"{Body.Length} bytes {Preview(Body)}";
        return $"{Method} {Cut(Path, 200)} [{What}] key={Key ?? "none"} link-token={Cut(LinkToken, 60) ?? "none"} " +
               $"accept={Accept ?? "none"} content-type={ContentType ?? "none"} body={body}";
    }

    private static string Preview(byte[] body) => Cut(Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 400)), 300)!;

    private static string? Cut(string? text, int length) =>
        text is null || text.Length <= length ? text : $"{text[..length]}…({text.Length} chars)";
}
