using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using FastTrack.Core.Mail;
using FastTrack.Core.Referrals;
using FastTrack.DevHost.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using FastTrack.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FastTrack.DevHost.Tests.Referrals;

/// <summary>
/// Crashes at the two points the workflow is built around (after the commit, before the dispatch; after the email,
/// before the outbox row is deleted) and the race of an accept with the SLA timeout. Faults are injected by replacing
/// services of the real app; a "restart" stops the app where it stands and starts a new one on the same Azurite.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_process_that_dies_after_the_commit_before_the_dispatch_request_is_dispatched_once_by_the_sweep_after_a_restart()
    {
        // The dispatch queue cannot be reached: the RFA's commit succeeds, then its dispatch request throws.
        await using var kit = await ReferralTestKit.StartAsync(null, services =>
        {
            services.RemoveAll<DispatchRequests>();
            services.AddSingleton(provider => new DispatchRequests(UnreachableQueues(provider.GetRequiredService<IConfiguration>())));
        });
        await kit.PutPartnerAsync("alpha");

        var status = await PostStatusAsync(kit, SampleRequests.Rfa("crash-commit"));

        Assert.NotEqual(HttpStatusCode.Accepted, status); // the request failed after its commit
        var id = await kit.ReferralIdOfAsync("crash-commit");
        Assert.NotNull(id);
        var committed = await kit.GetReferralAsync(id);
        Assert.Equal("Offered", committed.GetProperty("status").GetString());
        Assert.Equal("alpha", ReferralTestKit.Part(committed, "p1").GetProperty("partnerId").GetString());
        Assert.NotEmpty(await OutboxAsync(kit, id));
        Assert.Single(await kit.RowsAsync(PendingDispatch.TableName));
        Assert.Empty(await kit.MailboxAsync());

        await kit.RestartAsync();
        Assert.Empty(await kit.MailboxAsync()); // nothing asks for the dispatch but the sweep

        await kit.SetClockAsync(DateTimeOffset.UtcNow.AddMinutes(6)); // past StrandedAfter: the sweep re-requests it
        await kit.WaitForMailAsync("alpha@partners.example", "New ");
        await Eventually.Returns(async () => (await OutboxAsync(kit, id)).Count, count => count == 0);
        await Eventually.Returns(async () => (await kit.RowsAsync(PendingDispatch.TableName)).Count, count => count == 0);

        // Another sweep finds nothing left to do: still one email, and the commit was never decided again.
        var heartbeat = await kit.HeartbeatAsync();
        await kit.SetClockAsync(DateTimeOffset.UtcNow.AddMinutes(12));
        await kit.SweepHasRunAsync(heartbeat);
        Assert.Single(await MailsToAsync(kit, "alpha@partners.example"));
        var referral = await kit.GetReferralAsync(id);
        Assert.Equal(committed.GetProperty("history").GetRawText(), referral.GetProperty("history").GetRawText());
        var kinds = Kinds(referral);
        Assert.Single(kinds, kind => kind == "Submitted");
        Assert.Single(kinds, kind => kind == "PartnerMatched");
        Assert.Single(kinds, kind => kind == "Offered");
        await Eventually.Returns(async () => (await kit.RowsAsync(Deadlines.TableName)).Count, count => count == 1);
    }

    [Fact]
    public async Task A_real_app_process_killed_after_committing_an_RFA_loses_nothing_and_repeats_nothing_after_a_restart()
    {
        // While the real process runs, the test's own app only reads and writes through HTTP: its triggers are off.
        await using var kit = await ReferralTestKit.StartAsync(new Dictionary<string, string?> { ["Triggers:RunLocally"] = "false" });
        await kit.PutPartnerAsync("delta");
        string id;
        // Its trigger loop is off too, so the commit and the dispatch request are all it does before it is killed.
        using (var process = await AppProcess.StartAsync(
                   kit.Storage, new Dictionary<string, string> { ["Triggers__RunLocally"] = "false" }))
        {
            using var intake = process.CreateClient(FastTrackApp.IntakeKey);
            using var response = await intake.PostAsJsonAsync(new Uri("/api/referrals", UriKind.Relative), SampleRequests.Rfa("crash-kill"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            process.Kill();
        }

        var committed = await kit.GetReferralAsync(id);
        Assert.Equal("Offered", committed.GetProperty("status").GetString());
        Assert.NotEmpty(await OutboxAsync(kit, id));
        Assert.Empty(await kit.MailboxAsync());

        await kit.RestartAsync(settings: new Dictionary<string, string?> { ["Triggers:RunLocally"] = "true" });
        await kit.WaitForMailAsync("delta@partners.example", "New ");
        await Eventually.Returns(async () => (await OutboxAsync(kit, id)).Count, count => count == 0);
        await Eventually.Returns(async () => (await kit.RowsAsync(PendingDispatch.TableName)).Count, count => count == 0);
        var heartbeat = await kit.HeartbeatAsync(); // read first: the timers may run as soon as the clock moves
        await kit.SetClockAsync(DateTimeOffset.UtcNow.AddMinutes(6));
        await kit.SweepHasRunAsync(heartbeat);

        Assert.Single(await MailsToAsync(kit, "delta@partners.example"));
        var referral = await kit.GetReferralAsync(id);
        Assert.Equal(committed.GetProperty("history").GetRawText(), referral.GetProperty("history").GetRawText());
        Assert.Single(Kinds(referral), kind => kind == "Offered");
        Assert.Equal("Offered", ReferralTestKit.Part(referral, "p1").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_process_that_dies_after_sending_the_offer_before_deleting_its_outbox_row_sends_it_again_once_the_claim_expires_and_repeats_no_state_change()
    {
        var crash = new SendThenHang();
        await using var kit = await ReferralTestKit.StartAsync(null, services => DecorateMail(services, inner => crash.Around(inner)));
        await kit.PutPartnerAsync("beta");
        var id = await kit.SubmitAsync(SampleRequests.Rfa("crash-mail"));

        await crash.Sent.WaitAsync(TimeSpan.FromSeconds(20)); // the offer is in the mailbox; its outbox row is not deleted
        var historyBefore = (await kit.GetReferralAsync(id)).GetProperty("history").GetRawText();
        await kit.RestartAsync(); // the process stops right there: nothing is released or deleted

        var claimed = Assert.Single(await OutboxAsync(kit, id), row => row.GetInt32("Tries") == 1);
        Assert.True(claimed.GetDateTimeOffset("ClaimedUntil") > DateTimeOffset.UtcNow);
        var sent = Assert.Single(await MailsToAsync(kit, "beta@partners.example"));

        // Past StrandedAfter, within the claim: the sweep's dispatch does the rest of the outbox and leaves the claimed email.
        await kit.SetClockAsync(DateTimeOffset.UtcNow.AddMinutes(2));
        await Eventually.Returns(async () => (await OutboxAsync(kit, id)).Count, count => count == 1);
        Assert.Single(await MailsToAsync(kit, "beta@partners.example"));
        Assert.Single(await kit.RowsAsync(PendingDispatch.TableName));

        // Past the claim: the email goes again, with the same id (mail is at-least-once), and the outbox empties.
        await kit.SetClockAsync(DateTimeOffset.UtcNow.Add(FastTrack.Core.Outbox.OutboxRunner.ClaimDuration).AddMinutes(2));
        var again = await kit.WaitForMailAsync("beta@partners.example", "New ", count: 2);
        Assert.Equal(sent.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        await Eventually.Returns(async () => (await OutboxAsync(kit, id)).Count, count => count == 0);
        await Eventually.Returns(async () => (await kit.RowsAsync(PendingDispatch.TableName)).Count, count => count == 0);
        Assert.Equal(historyBefore, (await kit.GetReferralAsync(id)).GetProperty("history").GetRawText());

        // And the referral proceeds: the partner accepts from the resent email.
        var (status, outcome) = await kit.ActAsync(ReferralTestKit.LinkIn(again), "accept");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Accepted", outcome.GetProperty("outcome").GetString());
        var referral = await kit.GetReferralAsync(id);
        Assert.Equal("Active", ReferralTestKit.Part(referral, "p1").GetProperty("status").GetString());
        var kinds = Kinds(referral);
        Assert.Single(kinds, kind => kind == "PartnerMatched");
        Assert.Single(kinds, kind => kind == "Offered");
        Assert.Single(kinds, kind => kind == "Accepted");
    }

    [Fact]
    public async Task A_send_that_fails_after_the_email_went_out_is_retried_by_queue_redelivery_and_repeats_no_state_change()
    {
        var fault = new SendThenThrowOnce();
        await using var kit = await ReferralTestKit.StartAsync(null, services => DecorateMail(services, inner => fault.Around(inner)));
        await kit.PutPartnerAsync("gamma");

        var id = await kit.SubmitAsync(SampleRequests.Rfa("crash-mail-throw"));

        // The first send reached the mailbox and then failed; the effect was released and the message redelivered.
        var second = await kit.WaitForMailAsync("gamma@partners.example", "New ", count: 2);
        var mails = await MailsToAsync(kit, "gamma@partners.example");
        Assert.Equal(2, mails.Count); // at-least-once: a duplicate with the same id, never a lost email
        Assert.Equal(mails[0].GetProperty("id").GetString(), mails[1].GetProperty("id").GetString());
        Assert.Equal(1, fault.Thrown);
        await Eventually.Returns(async () => (await OutboxAsync(kit, id)).Count, count => count == 0, TimeSpan.FromSeconds(30));
        await Eventually.Returns(async () => (await kit.RowsAsync(PendingDispatch.TableName)).Count, count => count == 0);

        var (status, outcome) = await kit.ActAsync(ReferralTestKit.LinkIn(second), "accept");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Accepted", outcome.GetProperty("outcome").GetString());
        var kinds = Kinds(await kit.GetReferralAsync(id));
        Assert.Equal(["Submitted", "PartnerMatched", "Offered", "Accepted"], kinds.Where(k => k != "PartnersExcluded"));
    }

    [Fact]
    public async Task An_accept_racing_the_timeout_at_the_deadline_ends_in_exactly_one_of_the_two()
    {
        await using var kit = await ReferralTestKit.StartAsync();
        await kit.PutPartnerAsync("one");
        await kit.PutPartnerAsync("two");
        var (accepted, timedOut) = (0, 0);

        for (var round = 0; round < 8; round++)
        {
            var rfa = SampleRequests.Rfa($"race-{round}");
            var customer = $"Customer {round:D2}";
            rfa["customer"]!["name"] = customer;
            var id = await kit.SubmitAsync(rfa);
            var part = ReferralTestKit.Part(await kit.GetReferralAsync(id), "p1");
            var first = part.GetProperty("partnerId").GetString()!;
            var due = part.GetProperty("dueAt").GetDateTimeOffset();
            var offer = await Eventually.Returns(
                async () => (await MailsToAsync(kit, $"{first}@partners.example"))
                    .Where(m => m.GetProperty("html").GetString()!.Contains(customer, StringComparison.Ordinal)).ToList(),
                found => found.Count > 0);
            var link = ReferralTestKit.LinkIn(offer[0]);
            // The outbox sends the offer before it arms the timer: the race starts once the timer is armed.
            var deadline = TableClient.CreateQueryFilter($"ReferralId eq {id} and Attempt eq {1}");
            await Eventually.Returns(() => kit.RowsAsync(Deadlines.TableName, deadline), rows => rows.Count == 1);
            var heartbeat = await kit.HeartbeatAsync();

            // The deadline passes (the sweep times the part out within a poll) while the partner presses accept.
            var acceptDelay = TimeSpan.FromMilliseconds(round % 4 * 40);
            var clockMoved = kit.SetClockAsync(due.AddSeconds(1));
            var accepting = Task.Run(async () =>
            {
                await Task.Delay(acceptDelay);
                return await kit.ActAsync(link, "accept");
            });
            await clockMoved;
            var (status, outcome) = await accepting;
            await kit.SweepHasRunAsync(heartbeat);

            var referral = await kit.GetReferralAsync(id);
            var ends = referral.GetProperty("history").EnumerateArray()
                .Where(h => Text(h, "partId") == "p1" && Text(h, "partnerId") == first)
                .Select(h => h.GetProperty("kind").GetString())
                .Where(kind => kind is "Accepted" or "TimedOut")
                .ToList();
            var now = ReferralTestKit.Part(referral, "p1");
            var end = Assert.Single(ends);
            if (end == "Accepted")
            {
                accepted++;
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Equal("Accepted", outcome.GetProperty("outcome").GetString());
                Assert.Equal("Active", now.GetProperty("status").GetString());
                Assert.Equal(first, now.GetProperty("partnerId").GetString());
                Assert.Equal(1, now.GetProperty("attempts").GetInt32());
            }
            else
            {
                timedOut++;
                Assert.Equal(HttpStatusCode.Conflict, status);
                Assert.NotEqual("Accepted", outcome.GetProperty("outcome").GetString());
                Assert.NotEqual(first, now.GetProperty("partnerId").GetString());
                Assert.Equal(2, now.GetProperty("attempts").GetInt32());
            }

            Assert.DoesNotContain(Kinds(referral), kind => kind == (end == "Accepted" ? "TimedOut" : "Accepted"));
            Assert.Empty(await kit.RowsAsync(Deadlines.TableName, deadline)); // the first attempt's timer is done either way
        }

        output.WriteLine($"accepted first: {accepted}, timed out first: {timedOut}");
    }

    private static List<string> Kinds(JsonElement referral) =>
        [.. referral.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("kind").GetString()!)];

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<List<JsonElement>> MailsToAsync(ReferralTestKit kit, string to) =>
        [.. (await kit.MailboxAsync()).Where(m => m.GetProperty("to").EnumerateArray().Any(a => a.GetString() == to))];

    private static Task<IReadOnlyList<TableEntity>> OutboxAsync(ReferralTestKit kit, string referralId) =>
        kit.RowsAsync(ReferralStore.TableName, TableClient.CreateQueryFilter(
            $"PartitionKey eq {referralId} and RowKey ge {"outbox-"} and RowKey lt {"outbox-~"}"));

    /// <summary>The status of an RFA post, or null when the request threw instead of answering.</summary>
    private static async Task<HttpStatusCode?> PostStatusAsync(ReferralTestKit kit, System.Text.Json.Nodes.JsonObject rfa)
    {
        try
        {
            using var response = await kit.Intake.PostAsJsonAsync(new Uri("/api/referrals", UriKind.Relative), rfa);
            return response.StatusCode;
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
        {
            return null;
        }
    }

    /// <summary>The app's storage, but with a queue endpoint where nothing listens.</summary>
    private static StorageResources UnreachableQueues(IConfiguration configuration)
    {
        var broken = Regex.Replace(
            configuration[StorageAccount.Setting]!, "QueueEndpoint=http://127.0.0.1:[0-9]+", "QueueEndpoint=http://127.0.0.1:9");
        return new StorageResources(StorageAccount.FromConnectionString(broken));
    }

    private static void DecorateMail(IServiceCollection services, Func<IMailSender, IMailSender> decorate)
    {
        services.RemoveAll<IMailSender>();
        services.AddSingleton(provider => decorate(ActivatorUtilities.CreateInstance<GraphMailSender>(provider)));
    }

    /// <summary>Sends the first email for real, then never returns: the process is stopped at that point.</summary>
    private sealed class SendThenHang
    {
        private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public Task Sent => _sent.Task;

        public IMailSender Around(IMailSender inner) => new Sender(this, inner);

        private sealed class Sender(SendThenHang owner, IMailSender inner) : IMailSender
        {
            public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
            {
                await inner.SendAsync(mail, cancellationToken);
                if (Interlocked.Increment(ref owner._calls) == 1)
                {
                    owner._sent.SetResult();
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
            }
        }
    }

    /// <summary>Sends every email for real; the first send then fails, as if the connection dropped after the send.</summary>
    private sealed class SendThenThrowOnce
    {
        private int _thrown;

        public int Thrown => Volatile.Read(ref _thrown);

        public IMailSender Around(IMailSender inner) => new Sender(this, inner);

        private sealed class Sender(SendThenThrowOnce owner, IMailSender inner) : IMailSender
        {
            public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
            {
                await inner.SendAsync(mail, cancellationToken);
                if (Interlocked.CompareExchange(ref owner._thrown, 1, 0) == 0)
                {
                    throw new IOException($"Injected: the connection dropped after mail {mail.Id} was sent.");
                }
            }
        }
    }
}
