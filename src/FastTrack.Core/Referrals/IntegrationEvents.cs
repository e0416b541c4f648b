using System.Text.Json;
using FastTrack.Domain;
using FastTrack.Domain.Referrals;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using FastTrack.Core.Outbox;
using FastTrack.Functions.Triggers;
using Microsoft.Extensions.Options;

namespace FastTrack.Core.Referrals;

/// <summary>How integration events leave the app (setting <c>Events__Transport</c>).</summary>
public enum EventTransport
{
    /// <summary>Onto the Storage queue <c>referral-events</c>, where consumers read them (local runs, the default).</summary>
    StorageQueue,

    /// <summary>Through the Functions host's Service Bus output binding onto the topic <c>referral-events</c> (Azure).</summary>
    ServiceBusBinding,
}

/// <summary>Section <c>Events</c>.</summary>
public sealed class EventOptions
{
    public const string Section = "Events";

    public EventTransport Transport { get; set; } = EventTransport.StorageQueue;
}

/// <summary>
/// Publishes integration events (README "Integration events"). <see cref="PublishAsync"/> returns once the event is
/// stored in a Storage queue, so a caller may then forget it (an outbox row is deleted): with
/// <see cref="EventTransport.StorageQueue"/> that queue is <c>referral-events</c> itself; with
/// <see cref="EventTransport.ServiceBusBinding"/> it is <c>integration-events-outbound</c>, from which
/// <see cref="IntegrationEventDispatchFunction"/> hands each event to the Functions host's Service Bus output binding.
/// The host sends outputs only after an invocation returns and deletes the message only once the send succeeded, so a
/// failed send retries the message rather than losing the event. At worst an event goes twice, with the same id.
/// </summary>
public sealed class IntegrationEvents
{
    public const string QueueName = "referral-events";
    public const string OutboundQueueName = "integration-events-outbound";
    public const string TopicName = "referral-events";

    private readonly StorageResources _storage;
    private readonly string _queueName;

    public IntegrationEvents(StorageResources storage, IOptions<EventOptions> options)
    {
        _storage = storage;
        _queueName = options.Value.Transport == EventTransport.ServiceBusBinding ? OutboundQueueName : QueueName;
    }

    public async Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken)
    {
        var queue = await _storage.QueueAsync(_queueName, cancellationToken);
        await queue.SendMessageAsync(
            JsonSerializer.Serialize(integrationEvent, DomainJson.Options), cancellationToken: cancellationToken);
    }
}

/// <summary>
/// An integration event (README "Integration events"). <see cref="Id"/> stays the same when an event is sent again,
/// so consumers drop duplicates by it. <see cref="Type"/> is <c>{subject kind}.{what happened}</c>
/// (<c>referral.accepted</c>, <c>voucher.issued</c>); <see cref="Subject"/> is the path of what it is about
/// (<c>referrals/{id}</c>, <c>vouchers/{id}</c>); the other fields are null where they do not apply.
/// </summary>
public sealed record IntegrationEvent(
    string Id,
    string Type,
    string Subject,
    DateTimeOffset OccurredAt,
    string? ReferralId = null,
    string? PartId = null,
    string? PartnerId = null,
    ReferralStatus? ReferralStatus = null,
    string? VoucherId = null)
{
    /// <summary>The event a referral's outbox row publishes; its id is the row's, so a redone row repeats it.</summary>
    public static IntegrationEvent ForReferral(
        OutboxItem<ReferralEffect> item, PublishEvent published, string? partnerId, DateTimeOffset occurredAt) =>
        new(
            $"{item.PartitionKey}:{item.RowKey}",
            $"referral.{JsonNamingPolicy.KebabCaseLower.ConvertName(published.Kind.ToString())}",
            $"referrals/{item.PartitionKey}",
            occurredAt,
            item.PartitionKey,
            published.PartId,
            partnerId,
            published.ReferralStatus);
}

/// <summary>
/// Queue <c>integration-events-outbound</c> (transport <see cref="EventTransport.ServiceBusBinding"/>): returns the
/// event as the output <c>events</c>, which the Functions host sends to the Service Bus topic. Standalone nothing sends
/// outputs, so that transport is for the Functions host only.
/// </summary>
internal sealed class IntegrationEventDispatchFunction : ITriggeredFunction
{
    public const string OutputName = "events";

    public string Name => "IntegrationEventDispatch";

    public Trigger Trigger { get; } = new QueueTrigger(IntegrationEvents.OutboundQueueName);

    public IReadOnlyList<OutputBinding> Outputs { get; } = [new ServiceBusTopicOutput(OutputName, IntegrationEvents.TopicName)];

    public Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var message = request.QueueMessageText(Trigger);
        var integrationEvent = JsonSerializer.Deserialize<IntegrationEvent>(message, DomainJson.Options)
            ?? throw new FormatException("The integration event message is empty.");
        return Task.FromResult(new InvocationResponse(
            new Dictionary<string, object?> { [OutputName] = message },
            [$"Event {integrationEvent.Id} ({integrationEvent.Type}) handed to Service Bus"],
            null));
    }
}
