using System.Text.Json;
using Azure.Storage.Queues;
using FastTrack.Core.Events;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.Domain;
using FastTrack.Domain.Referrals;
using FastTrack.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FastTrack.DevHost.Tests.Deploy;

/// <summary>
/// Where integration events go, and in what shape. (This class's Azurite is its own: the referral tests' events would
/// mix in.)
/// </summary>
public sealed class IntegrationEventsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly IntegrationEvent Accepted = new(
        "7f3c9d:decision-000004:02", "referral.accepted", "referrals/7f3c9d", DateTimeOffset.UnixEpoch,
        ReferralId: "7f3c9d", PartId: "p1", PartnerId: "contoso-us", ReferralStatus: ReferralStatus.Active);

    [Fact]
    public async Task On_the_storage_queue_transport_an_event_is_on_queue_referral_events_once_published()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString, new Dictionary<string, string?> { ["Triggers:RunLocally"] = "false" });

        await app.Services.GetRequiredService<IntegrationEvents>().PublishAsync(Accepted, CancellationToken.None);

        var queue = app.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(IntegrationEvents.QueueName);
        var queued = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value
            .Select(message => JsonSerializer.Deserialize<IntegrationEvent>(message.Body.ToString(), DomainJson.Options));
        Assert.Contains(Accepted, queued);
    }

    [Fact]
    public void A_Service_Bus_message_carries_the_same_body_the_event_id_for_duplicate_detection_and_the_ids_to_filter_on()
    {
        var message = IntegrationEvents.ToServiceBusMessage(Accepted);

        Assert.Equal(Accepted, JsonSerializer.Deserialize<IntegrationEvent>(message.Body.ToString(), DomainJson.Options));
        Assert.Equal("7f3c9d:decision-000004:02", message.MessageId);
        Assert.Equal("referral.accepted", message.Subject);
        Assert.Equal("application/json", message.ContentType);
        Assert.Equal(
            new Dictionary<string, object>
            {
                ["subject"] = "referrals/7f3c9d",
                ["referralId"] = "7f3c9d",
                ["partId"] = "p1",
                ["partnerId"] = "contoso-us",
                ["referralStatus"] = "Active",
            },
            message.ApplicationProperties);
    }

    [Fact]
    public void A_voucher_event_has_no_referral_only_properties()
    {
        var issued = new IntegrationEvent("CSO-1:outbox-000001", "voucher.issued", "vouchers/CSO-1", DateTimeOffset.UnixEpoch, ReferralId: "r1", PartnerId: "p", VoucherId: "CSO-1");

        var message = IntegrationEvents.ToServiceBusMessage(issued);

        Assert.Equal(["subject", "referralId", "partnerId", "voucherId"], message.ApplicationProperties.Keys);
    }
}
