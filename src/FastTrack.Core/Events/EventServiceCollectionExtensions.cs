using Azure.Core;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using FastTrack.Core.Storage;
using Microsoft.Extensions.Options;

namespace FastTrack.Core.Events;

public static class EventServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="IntegrationEvents"/> on the transport <c>Events__Transport</c> names; for Service Bus, one client for
    /// the app's lifetime (the container disposes it), with the managed identity <c>Events__ManagedIdentityClientId</c>.
    /// </summary>
    public static IServiceCollection AddIntegrationEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<EventOptions>(configuration.GetSection(EventOptions.Section));
        services.AddSingleton(provider => ServiceBusClientFor(provider.GetRequiredService<IOptions<EventOptions>>().Value));
        services.AddSingleton(provider => new IntegrationEvents(
            provider.GetRequiredService<StorageResources>(),
            provider.GetRequiredService<IOptions<EventOptions>>().Value.Transport == EventTransport.ServiceBus
                ? provider.GetRequiredService<ServiceBusClient>().CreateSender(IntegrationEvents.TopicName)
                : null));
        return services;
    }

    private static ServiceBusClient ServiceBusClientFor(EventOptions options)
    {
        var fullyQualifiedNamespace = options.ServiceBusNamespace is { Length: > 0 } name
            ? name
            : throw new InvalidOperationException(
                $"Events__Transport is {EventTransport.ServiceBus}: set Events__ServiceBusNamespace to the namespace, such as sb-example.servicebus.windows.net.");
        TokenCredential credential = options.ManagedIdentityClientId is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
        return new ServiceBusClient(fullyQualifiedNamespace, credential);
    }
}
