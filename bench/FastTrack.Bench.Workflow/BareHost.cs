using System.Collections.Concurrent;
using System.Globalization;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using FastTrack.DevHost.Durable;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FastTrack.Bench.Workflow;

/// <summary>
/// The Durable engine's own ceiling: a bare orchestration that calls one trivial activity, on the same stack as the
/// dev host (<c>src/FastTrack.DevHost/Durable</c>): the Durable Task Framework's Azure Storage provider with the dev
/// host's settings, served over gRPC on a Unix socket by the Durable Task SDK's sidecar server to the stock gRPC worker
/// and client. It runs as its own process (this program with <c>--bare-host</c>), as the dev host does, with a task hub
/// of its own on the same Azurite. <c>POST /start/{id}</c> schedules an instance, as intake does for a referral;
/// <c>GET /done/{id}</c> answers once the engine has stored the instance as completed (observed in the provider's
/// completion call, so that waiting costs no storage request), with that moment in UTC ticks.
/// </summary>
internal static class BareHost
{
    public const string Flag = "--bare-host";
    public const string Orchestration = "BareOrchestration";
    public const string Activity = "BareActivity";

    public static async Task RunAsync(string[] args)
    {
        // --bare-host <url> <task hub>; storage from AzureWebJobsStorage, as the dev host reads it.
        var url = args[1];
        var taskHub = args[2];
        var connectionString = Environment.GetEnvironmentVariable("AzureWebJobsStorage")
                               ?? throw new InvalidOperationException("AzureWebJobsStorage is not set.");
        var socketPath = Path.Combine(Path.GetTempPath(), $"fasttrack-bench-durable-{Guid.NewGuid():N}.sock");
        var completions = new Completions();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(provider => new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            // The dev host's settings (DurableServiceCollectionExtensions.AddDurableTasks).
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            TaskHubName = taskHub,
            PartitionCount = 1,
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(30),
            WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(30),
            LoggerFactory = provider.GetRequiredService<ILoggerFactory>(),
        }));
        builder.Services.AddHostedService(provider => new DurableTaskSidecar(
            new SignallingOrchestrationService(provider.GetRequiredService<AzureStorageOrchestrationService>(), completions),
            provider.GetRequiredService<AzureStorageOrchestrationService>(),
            socketPath,
            provider.GetRequiredService<ILoggerFactory>()));
        var channel = DurableTaskSidecar.Channel(socketPath);
        builder.Services.AddDurableTaskWorker(worker => worker.UseGrpc(channel).AddTasks(registry => registry
            .AddOrchestratorFunc<string, string>(Orchestration, (context, input) => context.CallActivityAsync<string>(Activity, input))
            .AddActivityFunc<string, string>(Activity, (_, input) => input)));
        builder.Services.AddDurableTaskClient(client => client.UseGrpc(channel));

        var app = builder.Build();
        app.MapGet("/health", () => Results.Ok());
        app.MapPost("/start/{id}", async (string id, DurableTaskClient client, CancellationToken cancellationToken) =>
        {
            await client.ScheduleNewOrchestrationInstanceAsync(Orchestration, "bench", new StartOrchestrationOptions(id), cancellationToken);
            return Results.Accepted();
        });
        app.MapGet("/done/{id}", async (string id, CancellationToken cancellationToken) =>
        {
            var (at, status) = await completions.WaitAsync(id).WaitAsync(cancellationToken);
            return Results.Text($"{at.UtcTicks.ToString(CultureInfo.InvariantCulture)} {status}");
        });
        await app.RunAsync();
    }

    /// <summary>Completion times of instances by id, whether the bench asks before or after.</summary>
    private sealed class Completions
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource<(DateTimeOffset, OrchestrationStatus)>> _instances = new(StringComparer.Ordinal);

        public Task<(DateTimeOffset At, OrchestrationStatus Status)> WaitAsync(string id) => Get(id).Task;

        public void Completed(string id, OrchestrationStatus status) => Get(id).TrySetResult((DateTimeOffset.UtcNow, status));

        private TaskCompletionSource<(DateTimeOffset, OrchestrationStatus)> Get(string id) =>
            _instances.GetOrAdd(id, _ => new TaskCompletionSource<(DateTimeOffset, OrchestrationStatus)>(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    /// <summary>The provider, untouched, except that an instance's completion is reported once the provider has stored it.</summary>
    private sealed class SignallingOrchestrationService(AzureStorageOrchestrationService provider, Completions completions) : IOrchestrationService
    {
        public int TaskOrchestrationDispatcherCount => provider.TaskOrchestrationDispatcherCount;

        public int MaxConcurrentTaskOrchestrationWorkItems => provider.MaxConcurrentTaskOrchestrationWorkItems;

        public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => provider.EventBehaviourForContinueAsNew;

        public int TaskActivityDispatcherCount => provider.TaskActivityDispatcherCount;

        public int MaxConcurrentTaskActivityWorkItems => provider.MaxConcurrentTaskActivityWorkItems;

        public Task StartAsync() => provider.StartAsync();

        public Task StopAsync() => provider.StopAsync();

        public Task StopAsync(bool isForced) => provider.StopAsync(isForced);

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

        public async Task CompleteTaskOrchestrationWorkItemAsync(
            TaskOrchestrationWorkItem workItem,
            OrchestrationRuntimeState newOrchestrationRuntimeState,
            IList<TaskMessage> outboundMessages,
            IList<TaskMessage> orchestratorMessages,
            IList<TaskMessage> timerMessages,
            TaskMessage continuedAsNewMessage,
            OrchestrationState orchestrationState)
        {
            await provider.CompleteTaskOrchestrationWorkItemAsync(
                workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
            if (orchestrationState is { OrchestrationStatus: OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated } state)
            {
                completions.Completed(state.OrchestrationInstance.InstanceId, state.OrchestrationStatus);
            }
        }

        public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => provider.AbandonTaskOrchestrationWorkItemAsync(workItem);

        public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => provider.ReleaseTaskOrchestrationWorkItemAsync(workItem);

        public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
            provider.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);

        public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => provider.RenewTaskActivityWorkItemLockAsync(workItem);

        public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
            provider.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);

        public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => provider.AbandonTaskActivityWorkItemAsync(workItem);
    }
}
