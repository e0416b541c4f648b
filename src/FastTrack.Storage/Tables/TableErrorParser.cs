using System.Text.Json;
using Azure;
using Azure.Core;

namespace FastTrack.Storage.Tables;

/// <summary>
/// Reads the Table service's error body (<c>{"odata.error":{"code":…,"message":{"value":…}}}</c>), which
/// Azure.Core's default parser does not know, so that <see cref="RequestFailedException.ErrorCode"/> is set.
/// </summary>
internal sealed class TableErrorParser : RequestFailedDetailsParser
{
    public static readonly TableErrorParser Instance = new();

    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        data = null;
        var (code, message) = Read(response);
        code ??= response.Headers.TryGetValue("x-ms-error-code", out var header) ? header : null;
        error = code is null && message is null ? null : new ResponseError(code, message);
        return error is not null;
    }

    /// <summary>The error code and message from the body, or nulls when the body is not an OData error.</summary>
    public static (string? Code, string? Message) Read(Response response)
    {
        try
        {
            var content = response.Content;
            if (content is null || content.ToMemory().IsEmpty)
            {
                return (null, null);
            }

            using var json = JsonDocument.Parse(content.ToMemory());
            if (!json.RootElement.TryGetProperty("odata.error", out var error))
            {
                return (null, null);
            }

            var code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
            var message = error.TryGetProperty("message", out var m)
                ? m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out var v) ? v.GetString() : m.ToString()
                : null;
            return (code, message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
