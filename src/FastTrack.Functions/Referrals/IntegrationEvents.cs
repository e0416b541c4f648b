using System.Text.Json;
using FastTrack.Domain;
using FastTrack.Domain.Referrals;
using FastTrack.Functions.Hosting;
using FastTrack.Storage.Queues;

namespace FastTrack.Functions.Referrals;

/// <summary>
/// Publishes lifecycle events for other systems on the Storage queue <c>referral-events</c>. The event id is the
/// outbox row's, so a consumer can drop the rare duplicate that at-least-once dispatch allows.
/// </summary>
public sealed class IntegrationEvents(StorageAccount storage, TimeProvider clock)
{
    public const string QueueName = "referral-events";

    private readonly QueueClient _queue = storage.GetQueueClient(QueueName);
    private readonly CreateOnce _created = new(() => storage.GetQueueClient(QueueName).CreateIfNotExistsAsync());

    public async Task PublishAsync(OutboxItem item, PublishEvent published, string? partnerId, CancellationToken cancellationToken)
    {
        await _created.EnsureAsync();
        var integrationEvent = new IntegrationEvent(
            $"{item.ReferralId}:{item.RowKey}",
            $"referral.{JsonNamingPolicy.KebabCaseLower.ConvertName(published.Kind.ToString())}",
            item.ReferralId,
            published.PartId,
            partnerId,
            published.ReferralStatus,
            clock.GetUtcNow());
        await _queue.SendMessageAsync(JsonSerializer.Serialize(integrationEvent, DomainJson.Options), cancellationToken: cancellationToken);
    }
}

/// <summary>The integration event schema (README "Integration events").</summary>
public sealed record IntegrationEvent(
    string Id,
    string Type,
    string ReferralId,
    string? PartId,
    string? PartnerId,
    ReferralStatus ReferralStatus,
    DateTimeOffset OccurredAt);
