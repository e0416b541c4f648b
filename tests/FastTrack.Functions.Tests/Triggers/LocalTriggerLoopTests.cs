using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using FastTrack.Functions.Hosting;
using FastTrack.Functions.Tests.Infrastructure;
using FastTrack.Functions.Triggers;
using FastTrack.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FastTrack.Functions.Tests.Triggers;

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
        var function = new RecordingFunction("Consume", new QueueTrigger(queueName));
        await using var app = StartWith(function);
        var queue = Queue(queueName);
        await queue.CreateIfNotExistsAsync();

        await queue.SendMessageAsync("{\"referralId\":\"r-1\"}");

        var invocation = await Eventually.Returns(() => Task.FromResult(function.Invocations.FirstOrDefault()), i => i is not null);
        Assert.Equal("{\"referralId\":\"r-1\"}", invocation!.Data["message"].GetString());
        Assert.Equal(1, invocation.Metadata["DequeueCount"].GetInt64());
        await Eventually.Returns(() => ApproximateCountAsync(queue), count => count == 0);
    }

    [Fact]
    public async Task A_failing_queue_message_is_retried_until_it_succeeds()
    {
        var queueName = UniqueName("q");
        var function = new RecordingFunction("Flaky", new QueueTrigger(queueName), (_, calls) => calls < 3);
        await using var app = StartWith(function);
        var queue = Queue(queueName);
        var poison = Queue(queueName + "-poison");
        await queue.CreateIfNotExistsAsync();
        await poison.CreateIfNotExistsAsync();

        await queue.SendMessageAsync("try me");

        await Eventually.Returns(() => ApproximateCountAsync(queue), count => count == 0 && function.Invocations.Count >= 3);
        Assert.Equal([1L, 2L, 3L], function.Invocations.Select(i => i.Metadata["DequeueCount"].GetInt64()));
        Assert.Equal(0, await ApproximateCountAsync(poison));
    }

    [Fact]
    public async Task A_message_that_fails_five_times_moves_to_the_poison_queue()
    {
        var queueName = UniqueName("q");
        var function = new RecordingFunction("Broken", new QueueTrigger(queueName), (_, _) => true);
        await using var app = StartWith(function);
        var queue = Queue(queueName);
        var poison = Queue(queueName + "-poison");
        await queue.CreateIfNotExistsAsync();
        await poison.CreateIfNotExistsAsync();

        await queue.SendMessageAsync("never works");

        var poisoned = await Eventually.Returns(
            async () => (await poison.PeekMessagesAsync(1)).Value, messages => messages.Length == 1);
        Assert.Equal("never works", poisoned[0].Body.ToString());
        Assert.Equal(5, function.Invocations.Count);
        Assert.Equal(0, await ApproximateCountAsync(queue));
    }

    [Fact]
    public async Task A_blob_is_processed_once_and_again_only_when_rewritten()
    {
        var containerName = UniqueName("c");
        var function = new RecordingFunction("OnBlob", new BlobTrigger(containerName));
        await using var app = StartWith(function);
        var container = new BlobContainerClient(azurite.ConnectionString, containerName);
        await container.CreateIfNotExistsAsync();

        await UploadAsync(container, "a.pdf", "first", new Dictionary<string, string> { ["templateid"] = "SOW-2023" });
        await WaitForBlobAsync(function, "a.pdf", times: 1);
        // Blobs are listed in name order, so by the time b.pdf is processed the loop has seen a.pdf again.
        await UploadAsync(container, "b.pdf", "other");
        await WaitForBlobAsync(function, "b.pdf", times: 1);
        Assert.Equal(1, function.Count(i => BlobName(i) == "a.pdf"));

        await UploadAsync(container, "a.pdf", "second version");
        await WaitForBlobAsync(function, "a.pdf", times: 2);

        var first = function.Invocations.First(i => BlobName(i) == "a.pdf");
        Assert.Equal($"{containerName}/a.pdf", first.Metadata["BlobTrigger"].GetString());
        Assert.Equal("SOW-2023", first.Metadata["Metadata"].GetProperty("templateid").GetString());
    }

    [Fact]
    public async Task A_blob_that_fails_five_times_is_not_tried_again()
    {
        var containerName = UniqueName("c");
        var function = new RecordingFunction(
            "OnBadBlob", new BlobTrigger(containerName), (request, _) => BlobName(request).StartsWith("bad", StringComparison.Ordinal));
        await using var app = StartWith(function);
        var container = new BlobContainerClient(azurite.ConnectionString, containerName);
        await container.CreateIfNotExistsAsync();

        await UploadAsync(container, "bad.pdf", "broken");
        await WaitForBlobAsync(function, "bad.pdf", times: 5);
        await UploadAsync(container, "good.pdf", "fine");
        await WaitForBlobAsync(function, "good.pdf", times: 1);

        Assert.Equal(5, function.Count(i => BlobName(i) == "bad.pdf"));
    }

    [Fact]
    public async Task A_timer_runs_when_the_app_clock_passes_its_schedule()
    {
        var function = new RecordingFunction("EveryHour", new TimerTrigger("0 0 * * * *"));
        await using var app = StartWith(function);
        var client = app.CreateClient();

        var moved = await client.PostAsJsonAsync(new Uri("/api/_dev/clock", UriKind.Relative), new { advance = "PT1H" });
        moved.EnsureSuccessStatusCode();

        var invocation = await Eventually.Returns(() => Task.FromResult(function.Invocations.FirstOrDefault()), i => i is not null);
        var status = invocation!.Data["timer"].GetProperty("ScheduleStatus");
        Assert.Equal(0, status.GetProperty("Next").GetDateTimeOffset().Minute);
        Assert.False(invocation.Data["timer"].GetProperty("IsPastDue").GetBoolean());
    }

    [Fact]
    public async Task A_timer_that_missed_several_occurrences_runs_once_marked_past_due()
    {
        var function = new RecordingFunction("EveryHourToo", new TimerTrigger("0 0 * * * *"));
        await using var app = StartWith(function);
        var client = app.CreateClient();

        (await client.PostAsJsonAsync(new Uri("/api/_dev/clock", UriKind.Relative), new { advance = "PT5H" })).EnsureSuccessStatusCode();
        var invocation = await Eventually.Returns(() => Task.FromResult(function.Invocations.FirstOrDefault()), i => i is not null);
        // Another timer firing later proves this loop pass is over without sleeping.
        (await client.PostAsJsonAsync(new Uri("/api/_dev/clock", UriKind.Relative), new { advance = "PT1H" })).EnsureSuccessStatusCode();
        await Eventually.Returns(() => Task.FromResult(function.Invocations.Count), count => count >= 2);

        Assert.True(invocation!.Data["timer"].GetProperty("IsPastDue").GetBoolean());
        Assert.Equal(2, function.Invocations.Count);
    }

    private FastTrackApp StartWith(ITriggeredFunction function)
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
        Eventually.Returns(() => Task.FromResult(function.Count(i => BlobName(i) == name)), count => count >= times);

    private static string BlobName(InvocationRequest request) => request.Metadata["name"].GetString()!;

    /// <summary>A queue client encoding messages as the app does, so the loop reads what the test sends.</summary>
    private QueueClient Queue(string name) => StorageAccount.FromConnectionString(azurite.ConnectionString).Queues.GetQueueClient(name);

    private static async Task<int> ApproximateCountAsync(QueueClient queue) =>
        (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    private static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..16];
}
