using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace FastTrack.Core.Http;

/// <summary>
/// Reads request bodies without letting a client's mistake escape as an exception. A body that is not what the route
/// takes, is cut short, nests too deep, is larger than <see cref="RequestLimits.MaxBodyBytes"/>, or breaks the form
/// reader's limits (a key over 2,048 characters, more than 1,024 fields) comes back as the 4xx to answer, with the
/// reason, for the route to answer in its own shape: problem details, or a partner link's page. Every route reads its
/// body here, so both hosts answer alike.
/// </summary>
public static class RequestBody
{
    /// <summary>System.Text.Json's own default; deeper is refused, not parsed.</summary>
    private const int MaxJsonDepth = 64;

    public static async Task<BodyRead<JsonElement>> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ||
            !(type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
              type.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
        {
            return Refused<JsonElement>(StatusCodes.Status415UnsupportedMediaType, "Send the body as application/json.");
        }

        if (type.Charset.HasValue && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return Refused<JsonElement>(StatusCodes.Status415UnsupportedMediaType, "Send the body in UTF-8.");
        }

        try
        {
            // Read whole, but never more than the limit: the host's server refuses a body over it (Kestrel's
            // MaxRequestBodySize, announced or chunked), and this holds the line wherever that is not set.
            using var body = new MemoryStream();
            var buffer = new byte[16 * 1024];
            for (int read; (read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0;)
            {
                if (body.Length + read > RequestLimits.MaxBodyBytes)
                {
                    return TooLarge<JsonElement>();
                }

                body.Write(buffer, 0, read);
            }

            using var document = JsonDocument.Parse(body.GetBuffer().AsMemory(0, (int)body.Length), new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
            return new BodyRead<JsonElement>(document.RootElement.Clone(), StatusCodes.Status200OK, null);
        }
        catch (JsonException malformed)
        {
            return Refused<JsonElement>(StatusCodes.Status400BadRequest, $"The body is not valid JSON: {malformed.Message}");
        }
        catch (BadHttpRequestException refused)
        {
            return Refused<JsonElement>(refused.StatusCode, refused.Message);
        }
        catch (IOException cutShort) when (!cancellationToken.IsCancellationRequested)
        {
            return Refused<JsonElement>(StatusCodes.Status400BadRequest, $"The body ends early: {cutShort.Message}");
        }
    }

    public static async Task<BodyRead<IFormCollection>> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasFormContentType)
        {
            return Refused<IFormCollection>(
                StatusCodes.Status400BadRequest, "Send the form as application/x-www-form-urlencoded or multipart/form-data.");
        }

        try
        {
            return new BodyRead<IFormCollection>(await request.ReadFormAsync(cancellationToken), StatusCodes.Status200OK, null);
        }
        catch (BadHttpRequestException refused)
        {
            return Refused<IFormCollection>(refused.StatusCode, refused.Message);
        }
        catch (InvalidDataException broken)
        {
            return Refused<IFormCollection>(StatusCodes.Status400BadRequest, $"The form cannot be read: {broken.Message}");
        }
        catch (IOException cutShort) when (!cancellationToken.IsCancellationRequested)
        {
            return Refused<IFormCollection>(StatusCodes.Status400BadRequest, $"The form ends early: {cutShort.Message}");
        }
    }

    private static BodyRead<T> Refused<T>(int status, string problem) => new(default, status, problem);

    private static BodyRead<T> TooLarge<T>() => Refused<T>(
        StatusCodes.Status413PayloadTooLarge, $"The body is larger than {RequestLimits.MaxBodyBytes:N0} bytes.");
}
