namespace FastTrack.Core.Events;

/// <summary>Section <c>Events</c>: where integration events go.</summary>
public sealed class EventOptions
{
    public const string Section = "Events";

    public EventTransport Transport { get; set; } = EventTransport.StorageQueue;

    /// <summary>With <see cref="EventTransport.ServiceBus"/>: the namespace, <c>{name}.servicebus.windows.net</c>.</summary>
    public string? ServiceBusNamespace { get; set; }

    /// <summary>The user-assigned managed identity Service Bus is reached with; none: the default Azure credential.</summary>
    public string? ManagedIdentityClientId { get; set; }
}
