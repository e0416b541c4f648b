using FastTrack.Core.Links;
using FastTrack.Core.Referrals;
using FastTrack.Domain.Referrals;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace FastTrack.Functions.Functions;

/// <summary>The RFA intake, the referral view and lists, the partner's links, the referral workflow and the lists' index backfill.</summary>
public sealed class ReferralFunctions(ReferralsApi referrals, PartnerLinksApi links, ReferralIndexBackfill backfill)
{
    [Function("SubmitReferral")]
    public async Task<IResult> SubmitAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ReferralsApi.ReferralsRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient workflows,
        CancellationToken cancellationToken) =>
        await referrals.SubmitAsync(request, workflows, cancellationToken);

    [Function("ListReferrals")]
    public async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ReferralsApi.ReferralsRoute)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await referrals.ListAsync(request, cancellationToken);

    [Function("GetReferral")]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ReferralsApi.ReferralRoute)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        await referrals.GetAsync(request, id, cancellationToken);

    [Function("ShowLink")]
    public Task<IResult> ShowLinkAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PartnerLinksApi.LinkRoute)] HttpRequest request,
        string token,
        CancellationToken cancellationToken) =>
        links.ShowAsync(request, token, cancellationToken);

    [Function("ActOnLink")]
    public Task<IResult> ActOnLinkAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PartnerLinksApi.LinkRoute)] HttpRequest request,
        string token,
        [DurableClient] DurableTaskClient workflows,
        CancellationToken cancellationToken) =>
        links.ActAsync(request, token, workflows, cancellationToken);

    [Function(ReferralIndexBackfill.FunctionName)]
    public Task BackfillIndexAsync(
        [TimerTrigger("%" + ReferralOptions.IndexBackfillScheduleSetting + "%")] TimerInfo timer,
        CancellationToken cancellationToken) =>
        backfill.RunAsync(cancellationToken);

    [Function(nameof(ReferralWorkflow))]
    public static Task<ReferralStatus?> RunWorkflowAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ReferralWorkflow().RunAsync(context, context.GetInput<ReferralWorkflowInput>()!);
    }

    [Function(nameof(AdvanceReferral))]
    public static Task<ReferralProgress> AdvanceAsync([ActivityTrigger] ReferralStep step, string instanceId, FunctionContext executionContext) =>
        DurableAdapter.RunActivityAsync<AdvanceReferral, ReferralStep, ReferralProgress>(executionContext, instanceId, step);
}
