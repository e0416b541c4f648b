using System.Text;
using Azure;
using Azure.Core;
using FastTrack.Storage.Core;
using FastTrack.Storage.Queues;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.Storage.Tests.Queues;

[Collection(AzuriteGroup.Name)]
public sealed class QueueClientTests(AzuriteFixture azurite)
{
    // Visibility is measured by the service's own clock in whole seconds; waiting twice the timeout keeps these
    // tests clear of rounding without making them slow.
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PastShort = TimeSpan.FromSeconds(2.2);

    [Fact]
    public async Task Creating_a_queue_twice_is_idempotent()
    {
        var queue = Client();

        var first = await queue.CreateIfNotExistsAsync();
        var second = await queue.CreateIfNotExistsAsync();

        Assert.Equal(201, first?.Status);
        Assert.Null(second);
    }

    [Fact]
    public async Task Deleting_a_queue_reports_whether_it_existed()
    {
        var queue = await NewQueueAsync();

        Assert.True((await queue.DeleteIfExistsAsync()).Value);
        Assert.False((await queue.DeleteIfExistsAsync()).Value);
    }

    [Fact]
    public async Task Sending_to_a_missing_queue_fails_with_404_QueueNotFound()
    {
        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => Client().SendMessageAsync("x"));

        Assert.Equal(404, failure.Status);
        Assert.Equal("QueueNotFound", failure.ErrorCode);
    }

    [Fact]
    public async Task A_received_message_carries_its_decoded_body_receipt_and_times()
    {
        var queue = await NewQueueAsync();
        const string text = "Référence 42 — 東京 ✓ <not xml> & more";

        var sent = (await queue.SendMessageAsync(text)).Value;
        var received = Assert.Single((await queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromMinutes(1))).Value);

        Assert.Equal(sent.MessageId, received.MessageId);
        Assert.Equal(text, received.Body.ToString());
        Assert.Equal(1, received.DequeueCount);
        Assert.NotEmpty(received.PopReceipt);
        Assert.Equal(sent.InsertedOn, received.InsertedOn);
        Assert.Equal(sent.ExpiresOn, received.ExpiresOn);
        Assert.InRange(received.NextVisibleOn - received.InsertedOn, TimeSpan.FromSeconds(55), TimeSpan.FromSeconds(65));
        Assert.InRange(sent.ExpiresOn - sent.InsertedOn, TimeSpan.FromDays(7) - Short, TimeSpan.FromDays(7) + Short);
    }

    [Fact]
    public async Task The_stored_text_is_base64_of_the_utf8_body_as_the_functions_queue_trigger_expects()
    {
        var queue = await NewQueueAsync();
        const string json = """{"referralId":"r-1","note":"naïve"}""";

        await queue.SendMessageAsync(BinaryData.FromString(json));
        var stored = Assert.Single((await Client(queue.Name, QueueMessageEncoding.None).PeekMessagesAsync()).Value);

        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)), stored.MessageText);
    }

    [Fact]
    public async Task Without_encoding_text_with_xml_markup_round_trips_escaped()
    {
        var queue = await NewQueueAsync(QueueMessageEncoding.None);
        const string text = "<QueueMessage><MessageText>&amp; \"quoted\" 'single' é</MessageText></QueueMessage>";

        await queue.SendMessageAsync(text);
        var received = Assert.Single((await queue.ReceiveMessagesAsync()).Value);

        Assert.Equal(text, received.MessageText);
        Assert.Equal(text, received.Body.ToString());
    }

    [Fact]
    public async Task A_message_that_is_not_base64_fails_alone_and_can_still_be_deleted()
    {
        var queue = await NewQueueAsync();
        await Client(queue.Name, QueueMessageEncoding.None).SendMessageAsync("not base64!");

        var received = Assert.Single((await queue.ReceiveMessagesAsync()).Value);

        var failure = Assert.Throws<FormatException>(() => received.Body);
        Assert.Contains(received.MessageId, failure.Message);
        Assert.Equal("not base64!", received.MessageText);
        Assert.Equal(204, (await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt)).Status);
    }

    [Fact]
    public async Task A_received_message_stays_invisible_until_its_timeout_and_then_counts_a_second_dequeue()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("once");

        var first = Assert.Single((await queue.ReceiveMessagesAsync(visibilityTimeout: Short)).Value);
        var whileHidden = (await queue.ReceiveMessagesAsync()).Value;
        await Task.Delay(PastShort);
        var again = Assert.Single((await queue.ReceiveMessagesAsync()).Value);

        Assert.Empty(whileHidden);
        Assert.Equal(first.MessageId, again.MessageId);
        Assert.Equal(1, first.DequeueCount);
        Assert.Equal(2, again.DequeueCount);
    }

    [Fact]
    public async Task A_message_sent_with_a_visibility_delay_appears_only_after_it()
    {
        var queue = await NewQueueAsync();

        var sent = (await queue.SendMessageAsync("timer", visibilityTimeout: Short)).Value;
        var early = (await queue.ReceiveMessagesAsync()).Value;
        await Task.Delay(PastShort);
        var due = Assert.Single((await queue.ReceiveMessagesAsync()).Value);

        Assert.Empty(early);
        Assert.True(sent.NextVisibleOn > sent.InsertedOn);
        Assert.Equal(sent.MessageId, due.MessageId);
    }

    [Fact]
    public async Task A_visibility_delay_over_seven_days_is_refused_before_sending()
    {
        var queue = await NewQueueAsync();

        var failure = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            queue.SendMessageAsync("late", visibilityTimeout: TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1)));
        var sevenDays = await queue.SendMessageAsync(
            "latest", visibilityTimeout: TimeSpan.FromDays(7), timeToLive: Timeout.InfiniteTimeSpan);

        Assert.Equal("visibilityTimeout", failure.ParamName);
        Assert.Equal(1, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Equal(201, sevenDays.GetRawResponse().Status);
    }

    [Fact]
    public async Task A_message_disappears_when_its_time_to_live_expires()
    {
        var queue = await NewQueueAsync();

        await queue.SendMessageAsync("short-lived", timeToLive: Short);
        await Task.Delay(PastShort);

        Assert.Empty((await queue.PeekMessagesAsync()).Value);
        Assert.Empty((await queue.ReceiveMessagesAsync()).Value);
    }

    [Fact]
    public async Task A_message_with_an_infinite_time_to_live_never_expires()
    {
        var queue = await NewQueueAsync();

        var sent = (await queue.SendMessageAsync("forever", timeToLive: Timeout.InfiniteTimeSpan)).Value;

        Assert.True(sent.ExpiresOn > DateTimeOffset.UtcNow.AddYears(100));
    }

    [Fact]
    public async Task A_batch_receives_several_messages_up_to_the_limit()
    {
        var queue = await NewQueueAsync();
        foreach (var i in Enumerable.Range(0, 5))
        {
            await queue.SendMessageAsync($"m{i}");
        }

        var batch = (await queue.ReceiveMessagesAsync(maxMessages: 3)).Value;
        var rest = (await queue.ReceiveMessagesAsync(maxMessages: 32)).Value;

        Assert.Equal(3, batch.Count);
        Assert.Equal(2, rest.Count);
        Assert.Equal(
            Enumerable.Range(0, 5).Select(i => $"m{i}").Order(),
            batch.Concat(rest).Select(m => m.Body.ToString()).Order());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    public async Task A_batch_size_outside_1_to_32_is_refused(int maxMessages)
    {
        var queue = await NewQueueAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReceiveMessagesAsync(maxMessages));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.PeekMessagesAsync(maxMessages));
    }

    [Fact]
    public async Task Peeking_neither_hides_a_message_nor_counts_a_dequeue()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("look");

        var peeked = Assert.Single((await queue.PeekMessagesAsync(maxMessages: 5)).Value);
        var received = Assert.Single((await queue.ReceiveMessagesAsync()).Value);

        Assert.Equal("look", peeked.Body.ToString());
        Assert.Equal(0, peeked.DequeueCount);
        Assert.Equal(1, received.DequeueCount);
    }

    [Fact]
    public async Task The_approximate_count_includes_hidden_messages()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("a");
        await queue.SendMessageAsync("b", visibilityTimeout: TimeSpan.FromMinutes(5));

        Assert.Equal(2, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Deleting_by_pop_receipt_removes_the_message()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("done");
        var received = Assert.Single((await queue.ReceiveMessagesAsync(visibilityTimeout: Short)).Value);

        await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt);
        await Task.Delay(PastShort);

        Assert.Empty((await queue.ReceiveMessagesAsync()).Value);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Deleting_with_the_receipt_of_an_earlier_receive_fails_with_400_PopReceiptMismatch()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("raced");
        var stale = Assert.Single((await queue.ReceiveMessagesAsync(visibilityTimeout: Short)).Value);
        await Task.Delay(PastShort);
        var current = Assert.Single((await queue.ReceiveMessagesAsync()).Value);

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() =>
            queue.DeleteMessageAsync(stale.MessageId, stale.PopReceipt));

        Assert.Equal(400, failure.Status);
        Assert.Equal("PopReceiptMismatch", failure.ErrorCode);
        Assert.Equal(204, (await queue.DeleteMessageAsync(current.MessageId, current.PopReceipt)).Status);
    }

    [Fact]
    public async Task Deleting_a_message_twice_fails_with_404_MessageNotFound()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("twice");
        var received = Assert.Single((await queue.ReceiveMessagesAsync()).Value);
        await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt);

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() =>
            queue.DeleteMessageAsync(received.MessageId, received.PopReceipt));

        Assert.Equal(404, failure.Status);
        Assert.Equal("MessageNotFound", failure.ErrorCode);
    }

    [Fact]
    public async Task Updating_replaces_the_body_and_visibility_and_issues_a_new_pop_receipt()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("v1");
        var received = Assert.Single((await queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromMinutes(1))).Value);

        var update = (await queue.UpdateMessageAsync(
            received.MessageId, received.PopReceipt, BinaryData.FromString("v2 ✓"), Short)).Value;
        await Task.Delay(PastShort);
        var again = Assert.Single((await queue.ReceiveMessagesAsync()).Value);
        var stale = await Assert.ThrowsAsync<RequestFailedException>(() =>
            queue.UpdateMessageAsync(received.MessageId, update.PopReceipt, visibilityTimeout: Short));

        Assert.NotEqual(received.PopReceipt, update.PopReceipt);
        Assert.True(update.NextVisibleOn < received.NextVisibleOn);
        Assert.Equal("v2 ✓", again.Body.ToString());
        Assert.Equal(2, again.DequeueCount);
        Assert.Equal(400, stale.Status);
        Assert.Equal("PopReceiptMismatch", stale.ErrorCode);
    }

    [Fact]
    public async Task Updating_only_the_visibility_keeps_the_body()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("kept");
        var received = Assert.Single((await queue.ReceiveMessagesAsync(visibilityTimeout: TimeSpan.FromMinutes(1))).Value);

        await queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        var again = Assert.Single((await queue.ReceiveMessagesAsync()).Value);

        Assert.Equal("kept", again.Body.ToString());
    }

    [Fact]
    public async Task Updating_a_deleted_message_fails_with_404_MessageNotFound()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("gone");
        var received = Assert.Single((await queue.ReceiveMessagesAsync()).Value);
        await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt);

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() =>
            queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, visibilityTimeout: Short));

        Assert.Equal(404, failure.Status);
        Assert.Equal("MessageNotFound", failure.ErrorCode);
    }

    [Fact]
    public async Task A_body_whose_base64_fills_exactly_64_KiB_is_accepted()
    {
        var queue = await NewQueueAsync();
        var body = new byte[QueueClient.MaxMessageTextBytes / 4 * 3];
        Random.Shared.NextBytes(body);

        await queue.SendMessageAsync(BinaryData.FromBytes(body));
        var received = Assert.Single((await queue.ReceiveMessagesAsync()).Value);

        Assert.Equal(body, received.Body.ToArray());
    }

    [Fact]
    public async Task A_body_whose_base64_exceeds_64_KiB_is_refused_before_sending()
    {
        var queue = await NewQueueAsync();
        var body = BinaryData.FromBytes(new byte[(QueueClient.MaxMessageTextBytes / 4 * 3) + 1]);

        var failure = await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync(body));

        Assert.Equal("body", failure.ParamName);
        Assert.Contains("65536", failure.Message);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task An_update_whose_body_exceeds_64_KiB_is_refused_before_sending()
    {
        var queue = await NewQueueAsync(QueueMessageEncoding.None);
        await queue.SendMessageAsync("small");
        var received = Assert.Single((await queue.ReceiveMessagesAsync()).Value);

        // Two UTF-8 bytes per 'é': the limit counts bytes, not characters.
        await Assert.ThrowsAsync<ArgumentException>(() => queue.UpdateMessageAsync(
            received.MessageId, received.PopReceipt, BinaryData.FromString(new string('é', 32 * 1024 + 1)), Short));
    }

    [Fact]
    public async Task The_service_itself_refuses_message_text_over_64_KiB_with_413()
    {
        // Our client never sends such a message; this pins down that its limit is the service's (Azurite's) limit.
        var queue = await NewQueueAsync();
        var account = azurite.ConnectionString;
        var context = StorageClientContext.Create(
            account.QueueEndpoint, StorageService.Queue, account.Credential, new StorageClientOptions());
        using var message = context.CreateMessage(RequestMethod.Post, new Uri($"{queue.Uri}/messages"));
        message.Request.Headers.SetValue("Content-Type", "application/xml");
        message.Request.Content = RequestContent.Create(BinaryData.FromString(
            $"<QueueMessage><MessageText>{new string('a', QueueClient.MaxMessageTextBytes + 1)}</MessageText></QueueMessage>"));

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => context.SendAsync(message, default));

        Assert.Equal(413, failure.Status);
        Assert.Equal("RequestBodyTooLarge", failure.ErrorCode);
    }

    private QueueClient Client(string? name = null, QueueMessageEncoding encoding = QueueMessageEncoding.Base64) =>
        new(azurite.ConnectionString.ToString(), name ?? "q" + Guid.NewGuid().ToString("N"),
            new QueueClientOptions { MessageEncoding = encoding });

    private async Task<QueueClient> NewQueueAsync(QueueMessageEncoding encoding = QueueMessageEncoding.Base64)
    {
        var queue = Client(encoding: encoding);
        await queue.CreateIfNotExistsAsync();
        return queue;
    }
}
