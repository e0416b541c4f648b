using FastTrack.Domain.Referrals;
using FastTrack.Core.Http;
using FastTrack.Core.Links;
using FastTrack.Core.Partners;
using FastTrack.Core.Vouchers;

namespace FastTrack.Core.Referrals;

/// <summary>
/// <c>/api/links/{token}</c> for assignment links: GET shows the part and the buttons and never changes anything (mail
/// scanners open every link); POST turns the pressed button into a command for the workflow. Voucher links on the same
/// routes are handed to <see cref="VoucherLinks"/>.
/// </summary>
public static class ReferralLinksApi
{
    public static IEndpointRouteBuilder MapReferralLinks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(PartnerLinks.RoutePattern, ShowAsync).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapPost(PartnerLinks.RoutePattern, ActAsync).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> ShowAsync(
        string token, HttpRequest request, LinkSigner signer, ReferralStore store, PartnerStore partners, VoucherLinks vouchers,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var verification = signer.Verify(token, clock.GetUtcNow());
        if (verification is LinkVerification.Valid { Claims: VoucherLinkClaims voucher })
        {
            return await vouchers.ShowAsync(request, voucher, cancellationToken);
        }

        if (verification is not LinkVerification.Valid { Claims: AssignmentLinkClaims claims })
        {
            return LinkResponses.Result(request, LinkResult.ForVerification(verification));
        }

        var referral = (await store.LoadAsync(claims.ReferralId, cancellationToken))?.State;
        if (LinkResult.ForOpening(claims, referral) is { } cannotOpen)
        {
            return LinkResponses.Result(request, cannotOpen);
        }

        var part = referral!.FindPart(claims.PartId)!;
        var partner = await partners.GetAsync(claims.PartnerId, cancellationToken);
        return LinkResponses.Page(AssignmentSummary.For(claims.Purpose, referral, part, partner?.TimeZone ?? "UTC"));
    }

    private static async Task<IResult> ActAsync(
        string token, HttpRequest request, LinkSigner signer, ReferralWorkflow workflow, VoucherLinks vouchers, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var verification = signer.Verify(token, clock.GetUtcNow());
        if (verification is LinkVerification.Valid { Claims: VoucherLinkClaims voucher })
        {
            return await vouchers.UploadAsync(request, voucher, cancellationToken);
        }

        if (verification is not LinkVerification.Valid { Claims: AssignmentLinkClaims claims })
        {
            return LinkResponses.Result(request, LinkResult.ForVerification(verification));
        }

        var read = await FormBody.ReadAsync(request, cancellationToken);
        if (read.Form is null)
        {
            var unreadable = new Dictionary<string, string[]> { ["form"] = [read.Problem!] };
            return LinkResponses.Result(request, LinkResult.ForFormProblems(unreadable) with { StatusCode = read.Status });
        }

        var binding = LinkAction.Bind(read.Form, claims.Purpose);
        if (binding.Action is not { } action)
        {
            return LinkResponses.Result(request, LinkResult.ForFormProblems(binding));
        }

        var decision = await workflow.ExecuteAsync(claims.ReferralId, action.ToCommand(claims), cancellationToken);
        return LinkResponses.Result(request, decision is null
            ? LinkResult.NotFound()
            : LinkResult.ForDecision(decision.Outcome, decision.Message, decision.State.Status));
    }
}
