using System.Text.Json;
using FastTrack.Functions.Hosting;
using FastTrack.Storage.Queues;

namespace FastTrack.Functions.Referrals;

/// <summary>
/// Requests on a dispatch queue (<c>referral-dispatch</c> for referrals, <c>voucher-dispatch</c> for vouchers), each
/// asking for one outbox to be dispatched.
/// </summary>
public sealed class DispatchRequests(StorageAccount storage, string queueName = DispatchRequests.QueueName)
{
    public const string QueueName = "referral-dispatch";

    private readonly QueueClient _queue = storage.GetQueueClient(queueName);
    private readonly CreateOnce _created = new(() => storage.GetQueueClient(queueName).CreateIfNotExistsAsync());

    public async Task RequestAsync(string id, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync();
        await _queue.SendMessageAsync(JsonSerializer.Serialize(new DispatchRequest(id)), cancellationToken: cancellationToken);
    }

    public static DispatchRequest Parse(string message) =>
        JsonSerializer.Deserialize<DispatchRequest>(message, JsonSerializerOptions.Web)
        ?? throw new FormatException("The dispatch message is empty.");
}

/// <summary>The message: the id of the referral or voucher whose outbox to dispatch.</summary>
public sealed record DispatchRequest(string Id);
