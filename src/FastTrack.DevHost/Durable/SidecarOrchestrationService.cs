using DurableTask.AzureStorage;
using DurableTask.Core;

namespace FastTrack.DevHost.Durable;

/// <summary>
/// The Azure Storage provider as the sidecar needs it. The sidecar starts the provider once a worker connects and stops
/// it when the host stops, both from <c>async void</c> handlers, where an exception ends the process. So a start waits
/// for storage to answer, retrying (the dev host keeps running and <c>/api/health</c> says what is wrong), and a stop
/// before the start completed (a test's short-lived app) only ends that wait. Every other member is the provider's own.
/// </summary>
public sealed partial class SidecarOrchestrationService(AzureStorageOrchestrationService provider, ILogger<SidecarOrchestrationService> logger)
    : IOrchestrationService
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(30);

    // Flags, not a token source: the sidecar calls in from async void handlers that may outlive its disposal.
    private volatile bool _stopping;
    private int _started;

    public int TaskOrchestrationDispatcherCount => provider.TaskOrchestrationDispatcherCount;

    public int MaxConcurrentTaskOrchestrationWorkItems => provider.MaxConcurrentTaskOrchestrationWorkItems;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => provider.EventBehaviourForContinueAsNew;

    public int TaskActivityDispatcherCount => provider.TaskActivityDispatcherCount;

    public int MaxConcurrentTaskActivityWorkItems => provider.MaxConcurrentTaskActivityWorkItems;

    public async Task StartAsync()
    {
        while (!_stopping)
        {
            try
            {
                await provider.StartAsync();
                Interlocked.Exchange(ref _started, 1);
                return;
            }
            catch (Exception exception) when (!_stopping)
            {
                LogStartFailed(RetryAfter, exception);
                await Task.Delay(RetryAfter);
            }
            catch (Exception) when (_stopping)
            {
                // The host stopped meanwhile, and the failure is its shutdown's: there is nothing left to start for.
                return;
            }
        }
    }

    public Task StopAsync() => StopAsync(isForced: false);

    /// <summary>
    /// A stop that cannot reach storage (a test's Azurite stopped before its app) would wait for the provider's
    /// partition manager for 10 minutes and then throw in the sidecar's <c>async void</c> handler, ending the process.
    /// So it waits <see cref="StopWait"/> at most and logs a failure instead of throwing: what this process held is taken
    /// over by the next one when its leases and hidden messages expire, as after a crash.
    /// </summary>
    public async Task StopAsync(bool isForced)
    {
        _stopping = true;
        if (Interlocked.Exchange(ref _started, 0) == 1)
        {
            var stopping = provider.StopAsync(isForced);
            try
            {
                await stopping.WaitAsync(StopWait);
            }
            catch (TimeoutException) when (!stopping.IsCompleted)
            {
                LogStopTimedOut(StopWait);

                // Its failure, when it comes, is the one already reported: observed here, it ends nothing.
                _ = stopping.ContinueWith(stopped => stopped.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
            catch (Exception exception)
            {
                LogStopFailed(exception);
            }
        }
    }

    public Task CreateAsync() => provider.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => provider.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => provider.CreateIfNotExistsAsync();

    public Task DeleteAsync() => provider.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => provider.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        provider.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => provider.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => provider.GetDelayInSecondsAfterOnFetchException(exception);

    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        provider.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => provider.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState) =>
        provider.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => provider.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => provider.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        provider.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => provider.RenewTaskActivityWorkItemLockAsync(workItem);

    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
        provider.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);

    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => provider.AbandonTaskActivityWorkItemAsync(workItem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Durable Task engine could not start (storage unreachable?); trying again in {RetryAfter}")]
    private partial void LogStartFailed(TimeSpan retryAfter, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Durable Task engine did not stop within {StopWait} (storage unreachable?); leaving its leases to expire")]
    private partial void LogStopTimedOut(TimeSpan stopWait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Durable Task engine failed to stop cleanly; its leases and messages expire and are taken over")]
    private partial void LogStopFailed(Exception exception);
}
