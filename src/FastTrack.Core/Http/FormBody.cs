namespace FastTrack.Core.Http;

/// <summary>
/// Reads a form body without letting a client's mistake escape as an exception: a body that is not a form, is cut
/// short, or breaks the form reader's limits (a key over 2,048 characters, more than 1,024 fields, a value that does
/// not decode, a body past <see cref="RequestLimits.MaxBodyBytes"/>) comes back as a problem with its status, 400 or
/// 413, for the caller to answer in its own shape: problem details for the RFA, a page for a partner link.
/// </summary>
internal static class FormBody
{
    public static async Task<FormRead> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return FormRead.Refused(StatusCodes.Status400BadRequest, "Send the form as application/x-www-form-urlencoded or multipart/form-data.");
        }

        try
        {
            return new FormRead(await request.ReadFormAsync(cancellationToken), StatusCodes.Status200OK, null);
        }
        catch (BadHttpRequestException refused)
        {
            return FormRead.Refused(refused.StatusCode, refused.Message);
        }
        catch (InvalidDataException broken)
        {
            return FormRead.Refused(StatusCodes.Status400BadRequest, $"The form cannot be read: {broken.Message}");
        }
        catch (IOException cutShort) when (!cancellationToken.IsCancellationRequested)
        {
            return FormRead.Refused(StatusCodes.Status400BadRequest, $"The form ends early: {cutShort.Message}");
        }
    }
}

/// <summary>The form, or why it could not be read (<see cref="Problem"/>) and the status that says so.</summary>
internal sealed record FormRead(IFormCollection? Form, int Status, string? Problem)
{
    public static FormRead Refused(int status, string problem) => new(null, status, problem);
}
