using System.Text.Json;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Vouchers;
using FastTrack.Core.Auth;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;

namespace FastTrack.Core.Vouchers;

/// <summary>
/// API.md "Vouchers": issue (operations), read (operations, offer desk), the offer desk's decision, and the
/// redemptions waiting past the offer desk's 2-business-day review target.
/// </summary>
public static class VouchersApi
{
    public static IEndpointRouteBuilder MapVouchersApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/vouchers", IssueAsync)
            .RequireAuthorization(Roles.Operations)
            .WithTags("Vouchers")
            .WithName("IssueVoucher")
            .WithSummary("The partner's intention to use the offer: 201 with the voucher, or 422 listing every eligibility failure.");
        endpoints.MapGet("/api/vouchers/{id}", GetAsync)
            .WithIdRule("id")
            .RequireAuthorization(policy => policy.RequireRole(Roles.Operations, Roles.OfferDesk))
            .WithTags("Vouchers")
            .WithName("GetVoucher")
            .WithSummary("The voucher, its redemptions and, once the POE is approved, its payout.");
        endpoints.MapPost("/api/vouchers/{id}/redemptions/{redemptionId}/decision", DecideAsync)
            .WithIdRule("id", "redemptionId")
            .RequireAuthorization(Roles.OfferDesk)
            .WithTags("Vouchers")
            .WithName("DecideRedemption")
            .WithSummary("The offer desk approves ({ \"approve\": true }) or rejects ({ \"approve\": false, \"reason\": \"…\" }) a redemption.");
        endpoints.MapGet("/api/redemptions/overdue", OverdueAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.Operations, Roles.OfferDesk))
            .WithTags("Vouchers")
            .WithName("OverdueRedemptions")
            .WithSummary("Redemptions still waiting for the offer desk past their 2-business-day review target, oldest first.");
        endpoints.MapRedemptionUploads();
        return endpoints;
    }

    private static async Task<IResult> IssueAsync(JsonElement body, VoucherService vouchers, CancellationToken cancellationToken)
    {
        var fields = JsonFields.Of(body);
        var referralId = fields.Id("referralId");
        var partnerId = fields.Id("partnerId");
        if (fields.HasProblems)
        {
            return Results.ValidationProblem(fields.Problems(), title: "The request has problems; nothing was issued.");
        }

        var result = await vouchers.IssueAsync(referralId!, partnerId!, cancellationToken);
        return result.Voucher switch
        {
            null => Refused("The voucher cannot be issued; nothing was stored.", result.Violations),
            var voucher when result.Created => Results.Created($"/api/vouchers/{voucher.Id}", VoucherView.From(voucher)),
            var voucher => Results.Ok(VoucherView.From(voucher)),
        };
    }

    private static async Task<IResult> GetAsync(string id, VoucherService vouchers, CancellationToken cancellationToken) =>
        await vouchers.GetAsync(id, cancellationToken) is { } loaded
            ? Results.Ok(VoucherView.From(loaded.Voucher))
            : NotFound(id);

    private static async Task<IResult> DecideAsync(
        string id, string redemptionId, JsonElement body, VoucherService vouchers, CancellationToken cancellationToken)
    {
        var fields = JsonFields.Of(body);
        var approve = fields.Boolean("approve");
        var reason = fields.String("reason", required: approve == false);
        if (fields.HasProblems)
        {
            return Results.ValidationProblem(fields.Problems(), title: "The decision has problems; nothing was changed.");
        }

        var change = await vouchers.DecideAsync(id, redemptionId, approve!.Value, reason, cancellationToken);
        return change switch
        {
            null => NotFound(id),
            { Redemption: null } => Results.Problem($"Voucher {id} has no redemption {redemptionId}.", statusCode: StatusCodes.Status404NotFound),
            { Succeeded: false } => Refused("The decision cannot be recorded; nothing was changed.", change.Violations),
            _ => Results.Ok(VoucherView.From(change.Voucher)),
        };
    }

    private static async Task<IResult> OverdueAsync(
        VoucherService vouchers, RedemptionReviews reviews, TimeProvider clock, CancellationToken cancellationToken)
    {
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

        return Results.Ok(overdue);
    }

    /// <summary>422 with every broken rule as <c>{ code, message }</c> in <c>problems</c>.</summary>
    public static IResult Refused(string title, IReadOnlyList<RuleViolation> violations) => Results.Problem(
        title: title,
        detail: string.Join(" ", violations.Select(v => v.Message)),
        statusCode: StatusCodes.Status422UnprocessableEntity,
        extensions: new Dictionary<string, object?> { ["problems"] = violations });

    public static IResult NotFound(string id) =>
        Results.Problem($"There is no voucher {id}.", statusCode: StatusCodes.Status404NotFound);
}

/// <summary>The voucher as API.md shows it.</summary>
public sealed record VoucherView(
    string Id,
    string Tpid,
    string TenantId,
    string PartnerId,
    string ReferralId,
    int Tier,
    decimal CapUsd,
    int MaxUsers,
    DateTimeOffset IssuedAt,
    DateOnly ExpiresOn,
    VoucherStatus Status,
    IReadOnlyList<RedemptionView> Redemptions,
    Payout? Payout)
{
    public static VoucherView From(Voucher voucher)
    {
        ArgumentNullException.ThrowIfNull(voucher);
        return new(
            voucher.Id, voucher.Tpid, voucher.TenantId, voucher.PartnerId, voucher.ReferralId, voucher.Tier, voucher.CapUsd,
            voucher.MaxUsers, voucher.IssuedAt, voucher.ExpiresOn, voucher.Status,
            [.. voucher.Redemptions.Select(RedemptionView.From)], voucher.Payout);
    }
}

public sealed record RedemptionView(
    string Id,
    RedemptionKind Kind,
    RedemptionStatus Status,
    DateTimeOffset SubmittedAt,
    DateTimeOffset ReviewDueAt,
    DateTimeOffset? DecidedAt,
    string? Reason,
    int? UsersDeployed,
    IReadOnlyList<Workload> Workloads,
    RedemptionDocument Document)
{
    public static RedemptionView From(Redemption redemption)
    {
        ArgumentNullException.ThrowIfNull(redemption);
        return new(
            redemption.Id, redemption.Kind, redemption.Status, redemption.SubmittedAt, redemption.ReviewDueAt, redemption.DecidedAt,
            redemption.Reason, redemption.UsersDeployed, [.. redemption.Workloads.Order()], redemption.Document);
    }
}

/// <summary>A redemption past its review target: the voucher, the partner, the redemption and how long overdue.</summary>
public sealed record OverdueRedemption(string VoucherId, string PartnerId, RedemptionView Redemption, TimeSpan Overdue);
