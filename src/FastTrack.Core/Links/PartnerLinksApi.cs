using FastTrack.Core.Http;
using FastTrack.Core.Partners;
using FastTrack.Core.Referrals;
using FastTrack.Core.Vouchers;
using FastTrack.Domain.Referrals;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;

namespace FastTrack.Core.Links;

/// <summary>
/// <c>/api/links/{token}</c>, the partners' signed links (API.md "Partner links"), for referrals, the partner's referral
/// list (<see cref="PartnerReferralList"/>) and vouchers alike:
/// GET shows the page and never changes anything (mail scanners open every link); POST acts on the button pressed, for
/// an assignment link as a command for the referral workflow, for a voucher link as its upload form
/// (<see cref="VoucherLinks"/>). Anonymous: the signed token is the credential.
/// </summary>
public sealed class PartnerLinksApi(
    LinkSigner signer,
    ReferralStore referrals,
    PartnerStore partners,
    ReferralCommands commands,
    VoucherLinks vouchers,
    PartnerReferralList lists,
    TimeProvider clock)
{
    /// <summary>The route template; <c>{token}</c> is the only parameter.</summary>
    public const string LinkRoute = "api/links/{token}";

    [EndpointName("ShowLink"), ExcludeFromDescription]
    public async Task<IResult> ShowAsync(HttpRequest request, string token, CancellationToken cancellationToken)
    {
        var verification = signer.Verify(token, clock.GetUtcNow());
        if (verification is LinkVerification.Valid { Claims: VoucherLinkClaims voucher })
        {
            return await vouchers.ShowAsync(request, voucher, cancellationToken);
        }

        if (verification is LinkVerification.Valid { Claims: PartnerListLinkClaims list })
        {
            return await lists.ShowAsync(request, list, cancellationToken);
        }

        if (verification is not LinkVerification.Valid { Claims: AssignmentLinkClaims claims })
        {
            return LinkResponses.Result(request, LinkResult.ForVerification(verification));
        }

        var referral = (await referrals.LoadAsync(claims.ReferralId, cancellationToken))?.State;
        if (LinkResult.ForOpening(claims, referral) is { } cannotOpen)
        {
            return LinkResponses.Result(request, cannotOpen);
        }

        var part = referral!.FindPart(claims.PartId)!;
        var partner = await partners.GetAsync(claims.PartnerId, cancellationToken);
        return LinkResponses.Page(AssignmentSummary.For(claims.Purpose, referral, part, partner?.TimeZone ?? "UTC"));
    }

    /// <summary>
    /// A button: the transition is decided and committed here, so the partner gets its exact outcome at once; the
    /// referral's workflow is signalled just before the commit (<see cref="ReferralWorkflow.SignalResponseAsync"/>) and
    /// performs what the transition asked for.
    /// </summary>
    [EndpointName("ActOnLink"), ExcludeFromDescription]
    public async Task<IResult> ActAsync(HttpRequest request, string token, DurableTaskClient workflows, CancellationToken cancellationToken)
    {
        var verification = signer.Verify(token, clock.GetUtcNow());
        if (verification is LinkVerification.Valid { Claims: VoucherLinkClaims voucher })
        {
            return await vouchers.UploadAsync(request, voucher, cancellationToken);
        }

        if (verification is LinkVerification.Valid { Claims: PartnerListLinkClaims })
        {
            // A list only shows: its rows link to the referrals' own pages, whose buttons act.
            return LinkResponses.Result(request, LinkResult.NotFound());
        }

        if (verification is not LinkVerification.Valid { Claims: AssignmentLinkClaims claims })
        {
            return LinkResponses.Result(request, LinkResult.ForVerification(verification));
        }

        var form = await RequestBody.ReadFormAsync(request, cancellationToken);
        if (form.Value is null)
        {
            var unreadable = new Dictionary<string, string[]> { ["form"] = [form.Problem!] };
            return LinkResponses.Result(request, LinkResult.ForFormProblems(unreadable) with { StatusCode = form.Status });
        }

        var binding = LinkAction.Bind(form.Value, claims.Purpose);
        if (binding.Action is not { } action)
        {
            return LinkResponses.Result(request, LinkResult.ForFormProblems(binding));
        }

        var executed = await commands.ExecuteAsync(
            claims.ReferralId,
            action.ToCommand(claims),
            version => ReferralWorkflow.SignalResponseAsync(workflows, claims.ReferralId, claims.PartId, claims.Attempt, version, cancellationToken),
            current: null,
            cancellationToken);
        if (executed is not { Decision: var decision })
        {
            return LinkResponses.Result(request, LinkResult.NotFound());
        }

        // A decline that reassigned: round robin reads lastAssignedAt, so it is recorded now for the very next RFA,
        // not when the workflow wakes up to perform the effect (which records it again, harmlessly: it only moves forward).
        foreach (var assigned in decision.Effects.OfType<RecordPartnerAssigned>())
        {
            await partners.RecordAssignedAsync(assigned.PartnerId, assigned.At, cancellationToken);
        }

        return LinkResponses.Result(request, LinkResult.ForDecision(decision.Outcome, decision.Message, decision.State.Status));
    }
}
