using System.Globalization;
using FastTrack.Domain.Vouchers;
using FastTrack.Core.Customers;
using FastTrack.Core.Links;

namespace FastTrack.Core.Vouchers;

/// <summary>
/// A voucher link on <c>/api/links/{token}</c>: GET shows the voucher page, POST takes its upload form (the same
/// upload as <c>POST /api/vouchers/{id}/redemptions</c>) and answers with a page saying what became of the document.
/// The link acts only for the partner the voucher is bound to; for anyone else the voucher does not exist.
/// </summary>
public sealed class VoucherLinks(VoucherService vouchers, CustomerStore customers, RedemptionUploads uploads)
{
    public async Task<IResult> ShowAsync(HttpRequest request, VoucherLinkClaims claims, CancellationToken cancellationToken)
    {
        if (await VoucherAsync(claims, cancellationToken) is not { } voucher)
        {
            return LinkResponses.Result(request, LinkResult.NotFound());
        }

        var customerName = (await customers.GetAsync(voucher.TenantId, cancellationToken))?.Name;
        return LinkResponses.Page(voucher, customerName);
    }

    public async Task<IResult> UploadAsync(HttpRequest request, VoucherLinkClaims claims, CancellationToken cancellationToken)
    {
        if (await VoucherAsync(claims, cancellationToken) is not { } voucher)
        {
            return LinkResponses.Result(request, LinkResult.NotFound());
        }

        var outcome = await uploads.ReceiveAsync(voucher.Id, request, cancellationToken);
        return LinkResponses.Result(request, ResultOf(outcome, (outcome.Voucher ?? voucher).Status));
    }

    private async Task<Voucher?> VoucherAsync(VoucherLinkClaims claims, CancellationToken cancellationToken) =>
        (await vouchers.GetAsync(claims.VoucherId, cancellationToken))?.Voucher is { } voucher &&
        string.Equals(voucher.PartnerId, claims.PartnerId, StringComparison.Ordinal)
            ? voucher
            : null;

    private static LinkResult ResultOf(RedemptionOutcome outcome, VoucherStatus voucherStatus)
    {
        var redemption = outcome.Redemption;
        var problems = outcome.ProblemsByCode();
        return outcome.Kind switch
        {
            RedemptionOutcomeKind.Received => new(
                LinkOutcome.Received,
                StatusCodes.Status202Accepted,
                $"Your {Name(redemption!)} was received. The offer desk reviews it within 2 business days; you will be told of its decision by email.",
                null,
                LinkResultPage.Result,
                VoucherStatus: voucherStatus),
            RedemptionOutcomeKind.AlreadyReceived => new(
                LinkOutcome.AlreadyDone,
                StatusCodes.Status200OK,
                $"This document was already received, as {Received(redemption!)} ({redemption!.Status}). It is kept once.",
                null,
                LinkResultPage.Result,
                VoucherStatus: voucherStatus),
            RedemptionOutcomeKind.Invalid => LinkResult.ForFormProblems(problems) with { VoucherStatus = voucherStatus },
            RedemptionOutcomeKind.NoVoucher => LinkResult.NotFound(),
            RedemptionOutcomeKind.Conflict => new(
                LinkOutcome.Refused,
                StatusCodes.Status409Conflict,
                $"This document was already received, as {Received(redemption!)}, declared otherwise; it is kept once. Upload the right document for this one.",
                null,
                LinkResultPage.Result,
                problems,
                voucherStatus),
            var kind => new(
                LinkOutcome.Refused,
                kind == RedemptionOutcomeKind.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status422UnprocessableEntity,
                "The document was not accepted, for the reasons below.",
                null,
                LinkResultPage.Result,
                problems,
                voucherStatus),
        };
    }

    private static string Name(Redemption redemption) =>
        $"{redemption.Kind.ToString().ToUpperInvariant()} {redemption.Document.Name}";

    private static string Received(Redemption redemption) =>
        $"the {Name(redemption)} submitted on {redemption.SubmittedAt.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}";
}
