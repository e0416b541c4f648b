using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace FastTrack.Core.Privacy;

/// <summary>
/// Carries out one personal data request (SPEC §10) as a Durable Task orchestration, instance id
/// <c>privacy-{request id}</c>: the <see cref="ProcessPrivacyRequest"/> activity, retried with back-off, and after a run
/// of failures (Graph or storage down for long) tried again later, never given up: a request that keeps failing stays
/// open, becomes overdue and is reported by <see cref="PrivacySweep"/>, so it cannot be missed. Its input and output are
/// the request id only: the person's address stays in table <c>PrivacyRequests</c>, where completion removes it.
/// </summary>
public sealed class PrivacyRequestWorkflow : TaskOrchestrator<string, string>
{
    private static readonly TaskOptions Retries = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(5), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(5)));

    /// <summary>After a run of failed tries: the pause before the next run.</summary>
    private static readonly TimeSpan PauseAfterFailures = TimeSpan.FromMinutes(30);

    public static string InstanceId(string requestId) => $"privacy-{requestId}";

    /// <summary>
    /// Starts the request's workflow unless it is already waiting or running; records when, so the sweep can start
    /// again one that never started (the app stopped between filing the request and starting its workflow).
    /// </summary>
    public static async Task StartAsync(
        DurableTaskClient workflows, PrivacyRequests requests, string requestId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        ArgumentNullException.ThrowIfNull(requests);
        try
        {
            await workflows.ScheduleNewOrchestrationInstanceAsync(
                nameof(PrivacyRequestWorkflow),
                requestId,
                new StartOrchestrationOptions(InstanceId(requestId))
                    .WithDedupeStatuses(OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running),
                cancellationToken);
        }
        catch (DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException)
        {
            // Already waiting or running: it will carry the request out.
        }

        await requests.MarkStartedAsync(requestId, now, cancellationToken);
    }

    public override async Task<string> RunAsync(TaskOrchestrationContext context, string requestId)
    {
        ArgumentNullException.ThrowIfNull(context);
        var log = context.CreateReplaySafeLogger<PrivacyRequestWorkflow>();
        while (true)
        {
            try
            {
                await context.CallActivityAsync(nameof(ProcessPrivacyRequest), requestId, Retries);
                return requestId;
            }
            catch (TaskFailedException failed)
            {
                PrivacyLogs.TriesFailed(log, requestId, failed.FailureDetails.ErrorType, PauseAfterFailures);
                await context.CreateTimer(PauseAfterFailures, CancellationToken.None);
            }
        }
    }
}
