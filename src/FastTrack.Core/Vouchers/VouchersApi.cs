using FastTrack.Core.Auth;
using FastTrack.Core.Http;
using FastTrack.Domain.Vouchers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FastTrack.Core.Vouchers;

/// <summary>
/// API.md "Vouchers": issue (operations), read (operations, offer desk), the offer desk's decision, and the
/// redemptions waiting past the offer desk's 2-business-day review target. Uploads are <see cref="RedemptionUploadsApi"/>.
/// </summary>
public sealed class VouchersApi(VoucherService vouchers, RedemptionReviews reviews, FunctionKeys keys, TimeProvider clock)
{
    public const string VouchersRoute = "api/vouchers";
    public const string VoucherRoute = "api/vouchers/{id}";
    public const string DecisionRoute = "api/vouchers/{id}/redemptions/{redemptionId}/decision";
    public const string OverdueRoute = "api/redemptions/overdue";

    [EndpointName("IssueVoucher"), Tags("Vouchers")]
    [EndpointSummary("The partner's intention to use the offer: 201 with the voucher, or 422 listing every eligibility failure.")]
    public async Task<Results<Created<VoucherView>, Ok<VoucherView>, ValidationProblem, ProblemHttpResult>> IssueAsync(
        HttpRequest request, CancellationToken cancellationToken)
    {
        if (keys.Refuse(request, Roles.Operations) is { } refused)
        {
            return refused;
        }

        var body = await RequestBody.ReadJsonAsync(request, cancellationToken);
        if (body.Problem is not null)
        {
            return body.ToProblem("The request cannot be read; nothing was issued.");
        }

        var fields = JsonFields.Of(body.Value);
        var referralId = fields.Id("referralId");
        var partnerId = fields.Id("partnerId");
        if (fields.HasProblems)
        {
            return TypedResults.ValidationProblem(fields.Problems(), title: "The request has problems; nothing was issued.");
        }

        var result = await vouchers.IssueAsync(referralId!, partnerId!, cancellationToken);
        return result.Voucher switch
        {
            null => Refused("The voucher cannot be issued; nothing was stored.", result.Violations),
            var voucher when result.Created => TypedResults.Created($"/api/vouchers/{voucher.Id}", VoucherView.From(voucher)),
            var voucher => TypedResults.Ok(VoucherView.From(voucher)),
        };
    }

    [EndpointName("GetVoucher"), Tags("Vouchers")]
    [EndpointSummary("The voucher, its redemptions and, once the POE is approved, its payout.")]
    public async Task<Results<Ok<VoucherView>, ProblemHttpResult>> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if ((keys.Refuse(request, Roles.Operations, Roles.OfferDesk) ?? RouteIds.Refuse((nameof(id), id))) is { } refused)
        {
            return refused;
        }

        return await vouchers.GetAsync(id, cancellationToken) is { } loaded
            ? TypedResults.Ok(VoucherView.From(loaded.Voucher))
            : NotFound(id);
    }

    [EndpointName("DecideRedemption"), Tags("Vouchers")]
    [EndpointSummary("The offer desk approves ({ \"approve\": true }) or rejects ({ \"approve\": false, \"reason\": \"…\" }) a redemption.")]
    public async Task<Results<Ok<VoucherView>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        HttpRequest request, string id, string redemptionId, CancellationToken cancellationToken)
    {
        if ((keys.Refuse(request, Roles.OfferDesk) ?? RouteIds.Refuse((nameof(id), id), (nameof(redemptionId), redemptionId))) is { } refused)
        {
            return refused;
        }

        var body = await RequestBody.ReadJsonAsync(request, cancellationToken);
        if (body.Problem is not null)
        {
            return body.ToProblem("The decision cannot be read; nothing was changed.");
        }

        var fields = JsonFields.Of(body.Value);
        var approve = fields.Boolean("approve");
        var reason = fields.String("reason", required: approve == false);
        if (fields.HasProblems)
        {
            return TypedResults.ValidationProblem(fields.Problems(), title: "The decision has problems; nothing was changed.");
        }

        var change = await vouchers.DecideAsync(id, redemptionId, approve!.Value, reason, cancellationToken);
        return change switch
        {
            null => NotFound(id),
            { Redemption: null } => TypedResults.Problem($"Voucher {id} has no redemption {redemptionId}.", statusCode: StatusCodes.Status404NotFound),
            { Succeeded: false } => Refused("The decision cannot be recorded; nothing was changed.", change.Violations),
            _ => TypedResults.Ok(VoucherView.From(change.Voucher)),
        };
    }

    [EndpointName("OverdueRedemptions"), Tags("Vouchers")]
    [EndpointSummary("Redemptions still waiting for the offer desk past their 2-business-day review target, oldest first.")]
    public async Task<Results<Ok<List<OverdueRedemption>>, ProblemHttpResult>> OverdueAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (keys.Refuse(request, Roles.Operations, Roles.OfferDesk) is { } refused)
        {
            return refused;
        }

        var now = clock.GetUtcNow();
        var overdue = new List<OverdueRedemption>();
        foreach (var (voucherId, redemptionId, dueAt) in await reviews.DueBeforeAsync(now, cancellationToken))
        {
            var voucher = (await vouchers.GetAsync(voucherId, cancellationToken))?.Voucher;
            var redemption = voucher?.Redemptions.FirstOrDefault(r => r.Id == redemptionId);
            if (redemption is { Status: RedemptionStatus.Received })
            {
                overdue.Add(new OverdueRedemption(voucherId, voucher!.PartnerId, RedemptionView.From(redemption), now - dueAt));
            }
        }

        return TypedResults.Ok(overdue);
    }

    /// <summary>422 with every broken rule as <c>{ code, message }</c> in <c>problems</c>.</summary>
    public static ProblemHttpResult Refused(string title, IReadOnlyList<RuleViolation> violations) => TypedResults.Problem(
        title: title,
        detail: string.Join(" ", violations.Select(v => v.Message)),
        statusCode: StatusCodes.Status422UnprocessableEntity,
        extensions: new Dictionary<string, object?> { ["problems"] = violations });

    public static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem($"There is no voucher {id}.", statusCode: StatusCodes.Status404NotFound);
}
