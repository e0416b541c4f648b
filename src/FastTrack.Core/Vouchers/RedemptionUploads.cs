using System.Text;
using FastTrack.Domain.Vouchers;
using FastTrack.Core.Auth;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using FastTrack.Core.Links;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace FastTrack.Core.Vouchers;

/// <summary>
/// Reads a multipart redemption upload one part at a time, never the whole body: fields are read as they come, before
/// or after the file, and the file part streams straight into <see cref="DocumentStore"/>. Serves both
/// <c>POST /api/vouchers/{id}/redemptions</c> and the voucher link page's form.
/// </summary>
public sealed class RedemptionUploads(RedemptionIntake intake, IOptions<VoucherSettings> settings)
{
    /// <summary>Room for the form's fields and the multipart framing besides the document.</summary>
    public const long FormAllowanceBytes = 64 * 1024;

    private const string BodyField = "body";
    private const int MaxParts = 64;

    public async Task<RedemptionOutcome> ReceiveAsync(string voucherId, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var maxDocumentBytes = settings.Value.MaxDocumentBytes;
        var maxBodyBytes = maxDocumentBytes + FormAllowanceBytes;
        var redemptionId = RedemptionIntake.NewRedemptionId();
        var form = new RedemptionForm();
        if (request.ContentLength > maxBodyBytes)
        {
            form.Document = new StagedDocument(null, DocumentStore.TooLarge(maxDocumentBytes));
            return await intake.RecordAsync(voucherId, redemptionId, form, cancellationToken);
        }

        // Kestrel's default (about 28 MiB) would cut a larger configured limit short, and lets a body run past a smaller one.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = maxBodyBytes;
        }

        try
        {
            if (Boundary(request) is { } boundary)
            {
                await ReadPartsAsync(new MultipartReader(boundary, request.Body), voucherId, redemptionId, form, cancellationToken);
            }
            else
            {
                form.Problem(BodyField, "Send the upload as multipart/form-data.");
            }
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            form.Document = new StagedDocument(null, DocumentStore.TooLarge(maxDocumentBytes));
        }
        catch (Exception malformed) when (malformed is InvalidDataException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // A body cut short or framed wrong (a missing or foreign boundary): the reader runs out of stream.
            form.Problem(BodyField, $"The multipart body is malformed: {malformed.Message}");
        }
        catch
        {
            // The client went away or storage failed mid-way: keep nothing of this request.
            await intake.DiscardAsync(voucherId, redemptionId);
            throw;
        }

        return await intake.RecordAsync(voucherId, redemptionId, form, cancellationToken);
    }

    private async Task ReadPartsAsync(
        MultipartReader reader, string voucherId, string redemptionId, RedemptionForm form, CancellationToken cancellationToken)
    {
        var parts = 0;
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (++parts > MaxParts)
            {
                form.Problem(BodyField, $"The form has more than {MaxParts} parts.");
                return;
            }

            var disposition = section.GetContentDispositionHeader();
            var name = HeaderUtilities.RemoveQuotes(disposition?.Name ?? default).Value;
            if (disposition is null || string.IsNullOrEmpty(name))
            {
                form.Problem(BodyField, "Every part needs a Content-Disposition of form-data with a name.");
            }
            else if (!disposition.IsFileDisposition())
            {
                form.Add(name, await ReadValueAsync(section.Body, cancellationToken));
            }
            else if (!name.Equals(RedemptionForm.FileField, StringComparison.OrdinalIgnoreCase) || form.Document is not null)
            {
                form.Problem(name, $"Send one file, as field '{RedemptionForm.FileField}'.");
            }
            else
            {
                form.Document = await intake.StageAsync(voucherId, redemptionId, FileName(disposition), section.Body, cancellationToken);
                if (form.Document.Problem?.Code == DocumentStore.TooLargeCode)
                {
                    // Answered at once: reading on would only take in more of what is refused.
                    return;
                }
            }
        }
    }

    /// <summary>Reads at most one character more than a value may have, so an endless field costs nothing.</summary>
    private static async Task<string> ReadValueAsync(Stream body, CancellationToken cancellationToken)
    {
        using var text = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var value = new char[RedemptionForm.MaxValueLength + 1];
        return new string(value, 0, await text.ReadBlockAsync(value, cancellationToken));
    }

    /// <summary>The name the partner gave the file, without any folder a browser may send.</summary>
    private static string FileName(ContentDispositionHeaderValue disposition)
    {
        var given = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "";
        var name = given[(given.LastIndexOfAny(['/', '\\']) + 1)..].Trim();
        return name.Length == 0 ? "document.pdf" : name[..Math.Min(name.Length, 200)];
    }

    private static string? Boundary(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type) &&
        type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) &&
        HeaderUtilities.RemoveQuotes(type.Boundary).Value is { Length: > 0 } boundary
            ? boundary
            : null;
}
