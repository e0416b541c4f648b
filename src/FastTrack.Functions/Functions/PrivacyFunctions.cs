using FastTrack.Core.Privacy;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace FastTrack.Functions.Functions;

/// <summary>Personal data requests (SPEC §10): the API, their workflow and the backstop sweep.</summary>
public sealed class PrivacyFunctions(PrivacyApi privacy, PrivacySweep sweep)
{
    [Function("FilePrivacyRequest")]
    public async Task<IResult> FileAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PrivacyApi.RequestsRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient workflows,
        CancellationToken cancellationToken) =>
        await privacy.FileAsync(request, workflows, cancellationToken);

    [Function("ListPrivacyRequests")]
    public async Task<IResult> ListOpenAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PrivacyApi.RequestsRoute)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await privacy.ListOpenAsync(request, cancellationToken);

    [Function("GetPrivacyRequest")]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PrivacyApi.RequestRoute)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        await privacy.GetAsync(request, id, cancellationToken);

    [Function(PrivacySweep.FunctionName)]
    public Task SweepAsync(
        [TimerTrigger("%" + PrivacyOptions.SweepScheduleSetting + "%")] TimerInfo timer,
        [DurableClient] DurableTaskClient workflows,
        CancellationToken cancellationToken) =>
        sweep.RunAsync(workflows, cancellationToken);

    [Function(nameof(PrivacyRequestWorkflow))]
    public static Task<string> RunWorkflowAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new PrivacyRequestWorkflow().RunAsync(context, context.GetInput<string>()!);
    }

    [Function(nameof(ProcessPrivacyRequest))]
    public static Task<string> ProcessAsync([ActivityTrigger] string requestId, string instanceId, FunctionContext executionContext) =>
        DurableAdapter.RunActivityAsync<ProcessPrivacyRequest, string, string>(executionContext, instanceId, requestId);
}
