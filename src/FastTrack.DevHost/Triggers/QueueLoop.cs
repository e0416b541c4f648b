using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using FastTrack.Core.Storage;
using Microsoft.Extensions.Options;

namespace FastTrack.DevHost.Triggers;

/// <summary>
/// Runs the queue functions as the Functions queue trigger does: receive a batch, invoke each message, delete
/// it on success; on failure make it visible again after <c>visibilityTimeout</c>, and after <c>maxDequeueCount</c>
/// tries move it to <c>{queue}-poison</c>. Idle queues are polled with backoff up to <c>maxPollingInterval</c>.
/// </summary>
internal sealed partial class QueueLoop(
    IEnumerable<LocalTrigger> functions,
    IServiceProvider services,
    StorageResources storage,
    IOptions<TriggerLoopOptions> options,
    ILogger<QueueLoop> logger) : BackgroundService
{
    private QueueSettings Settings => options.Value.Queues;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(functions.OfType<LocalQueueTrigger>().Select(function => PollAsync(function, stoppingToken)));

    private async Task PollAsync(LocalQueueTrigger function, CancellationToken stoppingToken)
    {
        var idleDelay = options.Value.PollingInterval / 10;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var queue = await storage.QueueAsync(function.QueueName, stoppingToken);
                var messages = (await queue.ReceiveMessagesAsync(
                    Settings.BatchSize, QueueSettings.ProcessingLease, stoppingToken)).Value;
                if (messages.Length == 0)
                {
                    await Task.Delay(idleDelay, stoppingToken);
                    idleDelay = TimeSpan.FromTicks(Math.Min(idleDelay.Ticks * 2, Settings.MaxPollingInterval.Ticks));
                    continue;
                }

                idleDelay = options.Value.PollingInterval / 10;
                // The whole batch at once, as the Functions host runs it (the default would be one per core).
                await Parallel.ForEachAsync(
                    messages,
                    new ParallelOptions { MaxDegreeOfParallelism = Settings.BatchSize, CancellationToken = stoppingToken },
                    (message, cancellationToken) => new ValueTask(
                        ProcessAsync(function, queue, message, cancellationToken)));
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogPollFailed(function.QueueName, exception);
                await Task.Delay(Settings.MaxPollingInterval, stoppingToken);
            }
        }
    }

    private async Task ProcessAsync(
        LocalQueueTrigger function,
        QueueClient queue,
        QueueMessage message,
        CancellationToken cancellationToken)
    {
        try
        {
            await function.RunAsync(services, message.Body.ToString(), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            if (message.DequeueCount < Settings.MaxDequeueCount)
            {
                LogMessageFailed(function.FunctionName, message.MessageId, message.DequeueCount, exception);
                await queue.UpdateMessageAsync(
                    message.MessageId, message.PopReceipt, visibilityTimeout: Settings.VisibilityTimeout, cancellationToken: cancellationToken);
                return;
            }

            LogMessagePoisoned(function.FunctionName, message.MessageId, function.PoisonQueueName, exception);
            var poison = await storage.QueueAsync(function.PoisonQueueName, cancellationToken);
            await poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
        }

        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling queue {QueueName} failed; retrying")]
    private partial void LogPollFailed(string queueName, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Function {FunctionName} failed on message {MessageId} (try {DequeueCount}); it will be retried")]
    private partial void LogMessageFailed(string functionName, string messageId, long dequeueCount, Exception exception);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Function {FunctionName} failed on message {MessageId} for the last time; moved to {PoisonQueue}")]
    private partial void LogMessagePoisoned(string functionName, string messageId, string poisonQueue, Exception exception);
}
