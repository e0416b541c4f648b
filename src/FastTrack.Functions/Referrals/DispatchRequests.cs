using System.Text.Json;
using FastTrack.Functions.Hosting;
using FastTrack.Storage.Queues;

namespace FastTrack.Functions.Referrals;

/// <summary>Requests on the <c>referral-dispatch</c> queue, each asking for one referral's outbox to be dispatched.</summary>
public sealed class DispatchRequests(StorageAccount storage)
{
    public const string QueueName = "referral-dispatch";

    private readonly QueueClient _queue = storage.GetQueueClient(QueueName);
    private readonly CreateOnce _created = new(() => storage.GetQueueClient(QueueName).CreateIfNotExistsAsync());

    public async Task RequestAsync(string referralId, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync();
        await _queue.SendMessageAsync(JsonSerializer.Serialize(new DispatchRequest(referralId)), cancellationToken: cancellationToken);
    }

    public static DispatchRequest Parse(string message) =>
        JsonSerializer.Deserialize<DispatchRequest>(message, JsonSerializerOptions.Web)
        ?? throw new FormatException("The dispatch message is empty.");
}

public sealed record DispatchRequest(string ReferralId);
