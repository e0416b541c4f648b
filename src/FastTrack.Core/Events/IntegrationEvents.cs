using System.Text.Json;
using Azure.Messaging.ServiceBus;
using FastTrack.Core.Storage;
using FastTrack.Domain;

namespace FastTrack.Core.Events;

/// <summary>
/// Publishes integration events (README "Integration events"), one schema both ways: to the Storage queue
/// <c>referral-events</c> locally, or to the Service Bus topic <c>referral-events</c> in Azure
/// (<see cref="EventOptions.Transport"/>). <see cref="PublishAsync"/> returns once the queue or topic has the event; a
/// failed send throws, so the caller (an outbox run, a workflow activity) retries and nothing is lost. At worst an event
/// goes twice, with the same id: Service Bus drops the second by its message id, and consumers by the event id.
/// </summary>
/// <param name="topic">The Service Bus topic's sender; null for the Storage queue.</param>
public sealed class IntegrationEvents(StorageResources storage, ServiceBusSender? topic)
{
    public const string QueueName = "referral-events";
    public const string TopicName = "referral-events";

    public async Task PublishAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        if (topic is not null)
        {
            await topic.SendMessageAsync(ToServiceBusMessage(integrationEvent), cancellationToken);
            return;
        }

        var queue = await storage.QueueAsync(QueueName, cancellationToken);
        await queue.SendMessageAsync(Serialize(integrationEvent), cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The event as a Service Bus message: the same JSON body as on the queue, the event id as the message id (the
    /// topic's duplicate detection keys on it), its type as the subject, and the ids as application properties so that
    /// subscriptions can filter without reading bodies.
    /// </summary>
    public static ServiceBusMessage ToServiceBusMessage(IntegrationEvent integrationEvent)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var message = new ServiceBusMessage(Serialize(integrationEvent))
        {
            MessageId = integrationEvent.Id,
            Subject = integrationEvent.Type,
            ContentType = "application/json",
        };
        var properties = new (string Name, string? Value)[]
        {
            ("subject", integrationEvent.Subject),
            ("referralId", integrationEvent.ReferralId),
            ("partId", integrationEvent.PartId),
            ("partnerId", integrationEvent.PartnerId),
            ("referralStatus", integrationEvent.ReferralStatus?.ToString()),
            ("voucherId", integrationEvent.VoucherId),
        };
        foreach (var (name, value) in properties.Where(property => property.Value is not null))
        {
            message.ApplicationProperties[name] = value;
        }

        return message;
    }

    private static string Serialize(IntegrationEvent integrationEvent) => JsonSerializer.Serialize(integrationEvent, DomainJson.Options);
}
