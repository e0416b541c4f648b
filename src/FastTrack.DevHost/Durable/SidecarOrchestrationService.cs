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

    public async Task StopAsync(bool isForced)
    {
        _stopping = true;
        if (Interlocked.Exchange(ref _started, 0) == 1)
        {
            await provider.StopAsync(isForced);
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
}
