namespace FastTrack.Core.Events;

/// <summary>Where integration events go (setting <c>Events__Transport</c>).</summary>
public enum EventTransport
{
    /// <summary>The Storage queue <c>referral-events</c>, where consumers read them (local runs; the default).</summary>
    StorageQueue,

    /// <summary>The Service Bus topic <c>referral-events</c>, sent with the app's managed identity (Azure).</summary>
    ServiceBus,
}
