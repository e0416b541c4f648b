using DurableTask.AzureStorage;
using FastTrack.Core.Durable;
using FastTrack.Core.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Options;

namespace FastTrack.DevHost.Durable;

public static class DurableServiceCollectionExtensions
{
    /// <summary>
    /// Queues are polled at most this far apart when idle. The Azure Storage provider's default (30 s) would make a
    /// local workflow wait half a minute after a quiet spell; one second keeps the dev host and its tests responsive.
    /// </summary>
    private static readonly TimeSpan MaxQueuePollingInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a message taken by a process that then stopped (Ctrl+C mid-step, a crash, a kill) stays hidden before
    /// the next process gets it. The provider's default, 5 minutes, suits a scaled-out app in Azure; a dev host is one
    /// process, restarted often, which should carry on within half a minute. Activity messages have their hiding
    /// renewed while they run, so a long step is not taken twice.
    /// </summary>
    private static readonly TimeSpan StoppedProcessMessageTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The Durable Task engine on the app's storage (<see cref="DurableTaskSidecar"/>), and the stock Durable Task
    /// worker, running <see cref="WorkflowTasks"/>, and client, talking to it over gRPC as the isolated worker talks to
    /// the Functions host. One partition: the dev host is one process, and each partition is a queue to poll.
    /// </summary>
    public static IServiceCollection AddDurableTasks(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DurableOptions>(configuration.GetSection(DurableOptions.Section));
        services.AddSingleton(provider => new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(
                configuration[StorageAccount.Setting] is { Length: > 0 } connectionString
                    ? connectionString
                    : throw new InvalidOperationException($"The dev host runs on a storage connection string ({StorageAccount.Setting}), such as UseDevelopmentStorage=true.")),
            TaskHubName = provider.GetRequiredService<IOptions<DurableOptions>>().Value.TaskHubName,
            PartitionCount = 1,
            MaxQueuePollingInterval = MaxQueuePollingInterval,
            ControlQueueVisibilityTimeout = StoppedProcessMessageTimeout,
            WorkItemQueueVisibilityTimeout = StoppedProcessMessageTimeout,
            LoggerFactory = provider.GetRequiredService<ILoggerFactory>(),
        }));

        // A socket of its own per process: several dev hosts (tests) may run side by side.
        var socketPath = Path.Combine(Path.GetTempPath(), $"fasttrack-durable-{Guid.NewGuid():N}.sock");
        services.AddHostedService(provider => DurableTaskSidecar.For(
            provider.GetRequiredService<AzureStorageOrchestrationService>(), socketPath, provider.GetRequiredService<ILoggerFactory>()));
        var channel = DurableTaskSidecar.Channel(socketPath);
        services.AddDurableTaskWorker(builder => builder.UseGrpc(channel).AddTasks(registry => registry.AddWorkflowTasks()));
        services.AddDurableTaskClient(builder => builder.UseGrpc(channel));
        return services;
    }
}
