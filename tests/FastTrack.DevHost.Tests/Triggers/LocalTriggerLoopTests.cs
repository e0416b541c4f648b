using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using FastTrack.Core.Storage;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.DevHost.Triggers;
using FastTrack.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FastTrack.DevHost.Tests.Triggers;

[Collection(AzuriteGroup.Name)]
public sealed class LocalTriggerLoopTests(AzuriteFixture azurite)
{
    // Retry at once, so that five tries take moments rather than host.json's production visibility timeout.
    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        ["Triggers:Queues:VisibilityTimeout"] = "00:00:00",
        ["Triggers:Queues:MaxPollingInterval"] = "00:00:00.200",
    };

    [Fact]
    public async Task A_queue_message_is_delivered_as_text_and_deleted_after_success()
    {
        var queueName = UniqueName("q");
        var function = new RecordingFunction("Consume");
        await using var app = StartWith(function.OnQueue(queueName));
        var queue = Queue(queueName);
        await queue.CreateIfNotExistsAsync();

        await queue.SendMessageAsync("{\"referralId\":\"r-1\"}");

        var call = await Eventually.Returns(() => Task.FromResult(function.Calls.FirstOrDefault()), c => c is not null);
        Assert.Equal("{\"referralId\":\"r-1\"}", call);
        await Eventually.Returns(() => ApproximateCountAsync(queue), count => count == 0);
        Assert.Single(function.Calls);
    }

    [Fact]
    public async Task A_failing_queue_message_is_retried_until_it_succeeds()
    {
        var queueName = UniqueName("q");
        var function = new RecordingFunction("Flaky", (_, calls) => calls < 3);
        await using var app = StartWith(function.OnQueue(queueName));
        var queue = Queue(queueName);
        var poison = Queue(queueName + "-poison");
        await queue.CreateIfNotExistsAsync();
        await poison.CreateIfNotExistsAsync();

        await queue.SendMessageAsync("try me");

        await Eventually.Returns(() => ApproximateCountAsync(queue), count => count == 0 && function.Calls.Count >= 3);
        Assert.Equal(["try me", "try me", "try me"], function.Calls);
        Assert.Equal(0, await ApproximateCountAsync(poison));
    }

    [Fact]
    public async Task A_message_that_fails_five_times_moves_to_the_poison_queue()
    {
        var queueName = UniqueName("q");
        var function = new RecordingFunction("Broken", (_, _) => true);
        await using var app = StartWith(function.OnQueue(queueName));
        var queue = Queue(queueName);
        var poison = Queue(queueName + "-poison");
        await queue.CreateIfNotExistsAsync();
        await poison.CreateIfNotExistsAsync();

        await queue.SendMessageAsync("never works");

        var poisoned = await Eventually.Returns(
            async () => (await poison.PeekMessagesAsync(1)).Value, messages => messages.Length == 1);
        Assert.Equal("never works", poisoned[0].Body.ToString());
        Assert.Equal(5, function.Calls.Count);
        Assert.Equal(0, await ApproximateCountAsync(queue));
    }

    [Fact]
    public async Task A_blob_is_processed_once_and_again_only_when_rewritten()
    {
        var containerName = UniqueName("c");
        var function = new RecordingFunction("OnBlob");
        await using var app = StartWith(function.OnBlob(containerName));
        var container = new BlobContainerClient(azurite.ConnectionString, containerName);
        await container.CreateIfNotExistsAsync();

        await UploadAsync(container, "a.pdf", "first", new Dictionary<string, string> { ["templateid"] = "SOW-2023" });
        await WaitForBlobAsync(function, "a.pdf", times: 1);
        // Blobs are listed in name order, so by the time b.pdf is processed the loop has seen a.pdf again.
        await UploadAsync(container, "b.pdf", "other");
        await WaitForBlobAsync(function, "b.pdf", times: 1);
        Assert.Equal(1, function.Count("a.pdf"));

        await UploadAsync(container, "a.pdf", "second version");
        await WaitForBlobAsync(function, "a.pdf", times: 2);
    }

    [Fact]
    public async Task A_blob_that_fails_five_times_is_not_tried_again()
    {
        var containerName = UniqueName("c");
        var function = new RecordingFunction("OnBadBlob", (blobName, _) => blobName.StartsWith("bad", StringComparison.Ordinal));
        await using var app = StartWith(function.OnBlob(containerName));
        var container = new BlobContainerClient(azurite.ConnectionString, containerName);
        await container.CreateIfNotExistsAsync();

        await UploadAsync(container, "bad.pdf", "broken");
        await WaitForBlobAsync(function, "bad.pdf", times: 5);
        await UploadAsync(container, "good.pdf", "fine");
        await WaitForBlobAsync(function, "good.pdf", times: 1);

        Assert.Equal(5, function.Count("bad.pdf"));
    }

    [Fact]
    public async Task A_timer_runs_when_the_app_clock_passes_its_schedule()
    {
        var function = new RecordingFunction("EveryHour");
        await using var app = StartWith(function.OnTimer("0 0 * * * *"));
        var client = app.CreateClient();

        var moved = await client.PostAsJsonAsync(new Uri("/api/_dev/clock", UriKind.Relative), new { advance = "PT1H" });
        moved.EnsureSuccessStatusCode();

        await Eventually.Returns(() => Task.FromResult(function.Calls.Count), count => count == 1);
    }

    [Fact]
    public async Task A_timer_that_missed_several_occurrences_runs_once()
    {
        var function = new RecordingFunction("EveryHourToo");
        await using var app = StartWith(function.OnTimer("0 0 * * * *"));
        var client = app.CreateClient();

        (await client.PostAsJsonAsync(new Uri("/api/_dev/clock", UriKind.Relative), new { advance = "PT5H" })).EnsureSuccessStatusCode();
        await Eventually.Returns(() => Task.FromResult(function.Calls.Count), count => count >= 1);
        // Another timer firing later proves this loop pass is over without sleeping.
        (await client.PostAsJsonAsync(new Uri("/api/_dev/clock", UriKind.Relative), new { advance = "PT1H" })).EnsureSuccessStatusCode();
        await Eventually.Returns(() => Task.FromResult(function.Calls.Count), count => count >= 2);

        Assert.Equal(2, function.Calls.Count);
    }

    private FastTrackApp StartWith(LocalTrigger function)
    {
        var app = new FastTrackApp(azurite.ConnectionString, FastRetries, services => services.AddSingleton(function));
        _ = app.Server; // starts the host and with it the trigger loop
        return app;
    }

    private static async Task UploadAsync(
        BlobContainerClient container, string name, string content, Dictionary<string, string>? metadata = null)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content));
        await container.GetBlobClient(name).UploadAsync(
            stream, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/pdf" }, Metadata = metadata });
    }

    private static Task<int> WaitForBlobAsync(RecordingFunction function, string name, int times) =>
        Eventually.Returns(() => Task.FromResult(function.Count(name)), count => count >= times);

    /// <summary>A queue client encoding messages as the app does, so the loop reads what the test sends.</summary>
    private QueueClient Queue(string name) => StorageAccount.FromConnectionString(azurite.ConnectionString).Queues.GetQueueClient(name);

    private static async Task<int> ApproximateCountAsync(QueueClient queue) =>
        (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    private static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..16];
}
