using FastTrack.Core.Auth;
using FastTrack.Core.Http;
using FastTrack.Core.Links;
using FastTrack.Domain.Vouchers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FastTrack.Core.Vouchers;

/// <summary><c>POST /api/vouchers/{id}/redemptions</c> (API.md "Vouchers"): the offer desk's key or the voucher's link token.</summary>
public sealed class RedemptionUploadsApi(RedemptionUploads uploads, VoucherService vouchers, FunctionKeys keys, LinkSigner signer, TimeProvider clock)
{
    public const string RedemptionsRoute = "api/vouchers/{id}/redemptions";

    /// <summary>Where a program holding the voucher link sends its token (a browser form posts to the link itself).</summary>
    public const string LinkTokenHeader = "x-link-token";

    [EndpointName("UploadRedemption"), Tags("Vouchers")]
    [EndpointSummary("A signed SOW or POE (multipart/form-data) → 202 { redemptionId, status }; 400 form problems, 413 too large, 422 rule violations, 409 the document is already another redemption's.")]
    public async Task<Results<Accepted<UploadReceipt>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (RouteIds.Refuse((nameof(id), id)) is { } badId)
        {
            return badId;
        }

        var voucher = (await vouchers.GetAsync(id, cancellationToken))?.Voucher;
        if (Refusal(id, voucher, request) is { } refusal)
        {
            return refusal;
        }

        var outcome = await uploads.ReceiveAsync(id, request, cancellationToken);
        return outcome.Kind switch
        {
            RedemptionOutcomeKind.Received or RedemptionOutcomeKind.AlreadyReceived =>
                TypedResults.Accepted($"/api/vouchers/{id}", new UploadReceipt(outcome.Redemption!.Id, outcome.Redemption.Status)),
            RedemptionOutcomeKind.Invalid => TypedResults.ValidationProblem(outcome.ProblemsByCode(), title: "The upload has problems; nothing was stored."),
            RedemptionOutcomeKind.TooLarge => TypedResults.Problem(
                outcome.Problems[0].Message, statusCode: StatusCodes.Status413PayloadTooLarge, title: "The document is too large; nothing was stored."),
            RedemptionOutcomeKind.NoVoucher => VouchersApi.NotFound(id),
            RedemptionOutcomeKind.Conflict => TypedResults.Problem(
                outcome.Problems[0].Message,
                statusCode: StatusCodes.Status409Conflict,
                title: "The document is already another redemption's; nothing was stored.",
                extensions: new Dictionary<string, object?> { ["problems"] = outcome.Problems, ["redemptionId"] = outcome.Redemption!.Id }),
            _ => VouchersApi.Refused("The document cannot be accepted; nothing was stored.", outcome.Problems),
        };
    }

    /// <summary>
    /// Null when the caller may upload to this voucher: the offer desk's key, or a valid link token of this voucher
    /// and of the partner the voucher is bound to. No credentials or a forged, altered or unreadable token → 401; an
    /// expired token → 410; another key's role, another voucher's token or another partner's → 403.
    /// </summary>
    private ProblemHttpResult? Refusal(string id, Voucher? voucher, HttpRequest request)
    {
        var roles = keys.RolesOf(request);
        if (roles.Contains(Roles.OfferDesk))
        {
            return voucher is null ? VouchersApi.NotFound(id) : null;
        }

        if (!request.Headers.TryGetValue(LinkTokenHeader, out var token))
        {
            return roles.Count > 0
                ? FunctionKeys.Forbidden("Uploads take the offer desk's key or the voucher's link token.")
                : FunctionKeys.Unauthorized($"Send the offer desk's key in {FunctionKeys.HeaderName}, or the voucher link's token in {LinkTokenHeader}.");
        }

        return signer.Verify(token, clock.GetUtcNow()) switch
        {
            LinkVerification.Valid { Claims: VoucherLinkClaims claims } when claims.VoucherId == id => voucher switch
            {
                null => VouchersApi.NotFound(id),
                _ when voucher.PartnerId == claims.PartnerId => null,
                _ => FunctionKeys.Forbidden("The link token is not for this voucher's partner."),
            },
            LinkVerification.Valid => FunctionKeys.Forbidden("The link token is not for this voucher."),
            LinkVerification.Expired => TypedResults.Problem("The voucher link has expired.", statusCode: StatusCodes.Status410Gone, title: "Gone"),
            _ => FunctionKeys.Unauthorized("The link token is not valid."),
        };
    }
}

/// <summary>The 202 answer: the redemption that holds the document (an earlier one, for the same document again).</summary>
public sealed record UploadReceipt(string RedemptionId, RedemptionStatus Status);
