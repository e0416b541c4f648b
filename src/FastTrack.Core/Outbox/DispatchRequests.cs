using System.Text.Json;
using FastTrack.Core.Storage;

namespace FastTrack.Core.Outbox;

/// <summary>Requests on a dispatch queue (vouchers': <c>voucher-dispatch</c>), each asking for one outbox to be dispatched.</summary>
public sealed class DispatchRequests(StorageResources storage, string queueName)
{
    public async Task RequestAsync(string id, CancellationToken cancellationToken)
    {
        var queue = await storage.QueueAsync(queueName, cancellationToken);
        await queue.SendMessageAsync(JsonSerializer.Serialize(new DispatchRequest(id)), cancellationToken: cancellationToken);
    }

    public static DispatchRequest Parse(string message) =>
        JsonSerializer.Deserialize<DispatchRequest>(message, JsonSerializerOptions.Web)
        ?? throw new FormatException("The dispatch message is empty.");
}

/// <summary>The message: the id of the referral or voucher whose outbox to dispatch.</summary>
public sealed record DispatchRequest(string Id);
