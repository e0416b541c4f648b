using System.Text.Json;
using Azure.Storage.Queues.Models;

namespace FastTrack.Functions.Triggers;

/// <summary>Builds invocation payloads in the shapes the Functions host sends, for the local trigger loop.</summary>
internal static class Payloads
{
    public static InvocationRequest Timer(
        Trigger trigger, DateTimeOffset? last, DateTimeOffset next, bool isPastDue, DateTimeOffset now) =>
        Create(
            trigger,
            new
            {
                Schedule = new { AdjustForDST = false },
                ScheduleStatus = new { Last = last, Next = next, LastUpdated = now },
                IsPastDue = isPastDue,
            },
            new Dictionary<string, object?> { ["sys"] = Sys("TimerTrigger", now) });

    public static InvocationRequest QueueMessage(
        Trigger trigger, QueueMessage message, DateTimeOffset now) =>
        Create(
            trigger,
            message.Body.ToString(),
            new Dictionary<string, object?>
            {
                ["DequeueCount"] = message.DequeueCount,
                ["ExpirationTime"] = message.ExpiresOn,
                ["Id"] = message.MessageId,
                ["InsertionTime"] = message.InsertedOn,
                ["NextVisibleTime"] = message.NextVisibleOn,
                ["PopReceipt"] = message.PopReceipt,
                ["sys"] = Sys("QueueTrigger", now),
            });

    /// <summary>
    /// A blob invocation names the blob and carries no content: handlers read it with the SDK's client, as they must for
    /// the Event Grid-sourced trigger in Azure, so a large document never travels through the host as JSON.
    /// </summary>
    public static InvocationRequest Blob(
        BlobTrigger trigger, Uri uri, string blobName, IDictionary<string, string> metadata, DateTimeOffset now) =>
        Create(
            trigger,
            null,
            new Dictionary<string, object?>
            {
                ["BlobTrigger"] = $"{trigger.Container}/{blobName}",
                ["Uri"] = uri,
                ["name"] = blobName,
                ["Metadata"] = metadata,
                ["sys"] = Sys("BlobTrigger", now),
            });

    private static object Sys(string method, DateTimeOffset now) =>
        new { MethodName = method, UtcNow = now, RandGuid = Guid.NewGuid() };

    private static InvocationRequest Create(Trigger trigger, object? data, Dictionary<string, object?> metadata) =>
        new(
            new Dictionary<string, JsonElement> { [trigger.BindingName] = JsonSerializer.SerializeToElement(data) },
            metadata.ToDictionary(entry => entry.Key, entry => JsonSerializer.SerializeToElement(entry.Value)));
}
