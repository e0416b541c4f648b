using System.Text.Json;
using Azure.Storage.Queues;
using FastTrack.Domain;
using FastTrack.Functions.Referrals;
using FastTrack.Functions.Tests.Infrastructure;
using FastTrack.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FastTrack.Functions.Tests.Deploy;

/// <summary>
/// <see cref="IntegrationEvents.PublishAsync"/> returns once the event is in a Storage queue: the consumers' queue, or,
/// for the Service Bus binding, the queue its dispatching function reads. (This collection's Azurite is not shared with
/// the referral tests, whose events would mix in.)
/// </summary>
[Collection(PackageGroup.Name)]
public sealed class IntegrationEventsTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData(EventTransport.StorageQueue, IntegrationEvents.QueueName)]
    [InlineData(EventTransport.ServiceBusBinding, IntegrationEvents.OutboundQueueName)]
    public async Task An_event_is_queued_where_its_transport_takes_it_from(EventTransport transport, string queueName)
    {
        await using var app = new FastTrackApp(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["Events:Transport"] = transport.ToString(),
            ["Triggers:RunLocally"] = "false",
        });
        var issued = new IntegrationEvent(
            $"voucher-{Guid.NewGuid():N}", "voucher.issued", "vouchers/v-1", DateTimeOffset.UnixEpoch, VoucherId: "v-1");

        await app.Services.GetRequiredService<IntegrationEvents>().PublishAsync(issued, CancellationToken.None);

        var queue = app.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(queueName);
        var queued = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value
            .Select(message => JsonSerializer.Deserialize<IntegrationEvent>(message.Body.ToString(), DomainJson.Options));
        Assert.Contains(issued, queued);
    }
}
