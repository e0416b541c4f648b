using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using FastTrack.Core.Mail;
using FastTrack.Core.Referrals;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xunit;
using Xunit.Abstractions;

namespace FastTrack.DevHost.Tests.Referrals;

/// <summary>
/// The referral workflow under crashes and races: a real dev host killed (SIGKILL) again and again while RFAs come in
/// and offers wait, an email whose send failed after Graph took it, an intake stopped between scheduling its workflow
/// and storing the referral, and an accept racing the SLA timeout.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Rfas = 50;

    [Fact]
    public async Task A_dev_host_killed_again_and_again_while_RFAs_come_in_and_offers_wait_loses_nothing_repeats_nothing_and_times_out_on_time()
    {
        // The test's own app only reads, through HTTP and storage: its workflows are in a task hub of their own.
        await using var kit = await ReferralTestKit.StartAsync(new Dictionary<string, string?> { ["Triggers:RunLocally"] = "false" });
        foreach (var partner in new[] { "kilo", "lima", "mike" })
        {
            await kit.PutPartnerAsync(partner);
        }

        var settings = new Dictionary<string, string> { ["Durable__TaskHubName"] = FastTrackApp.NewTaskHubName(), ["Triggers__RunLocally"] = "false" };
        await using var host = new KilledAndRestarted(kit.Storage, settings, output);
        await host.StartAsync();
        var ids = new ConcurrentDictionary<string, string>();
        using (var killing = new CancellationTokenSource())
        {
            var kills = host.KeepKillingAsync(TimeSpan.FromSeconds(3), killing.Token);
            await Parallel.ForEachAsync(Enumerable.Range(0, Rfas), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (n, _) =>
                ids[$"kill-{n}"] = await host.SubmitUntilAcceptedAsync(SampleRequests.Rfa($"kill-{n}")));

            // And again while the offers wait.
            await Task.Delay(TimeSpan.FromSeconds(8));
            await killing.CancelAsync();
            await kills;
        }

        Assert.Equal(Rfas, ids.Values.Distinct().Count());
        Assert.Equal(Rfas, (await kit.RowsAsync(ReferralIntakeService.SubmissionsTable)).Count);
        var offered = await Eventually.Returns(
            () => Task.WhenAll(ids.Values.Select(kit.GetReferralAsync)),
            referrals => referrals.All(r => r.GetProperty("status").GetString() == "Offered"),
            TimeSpan.FromMinutes(3));
        var firstPartners = offered.ToDictionary(r => r.GetProperty("id").GetString()!, r => ReferralTestKit.Part(r, "p1").GetProperty("partnerId").GetString()!);
        await AssertEachOfferEmailedOnceAsync(kit, ids.Values, attempt: 1);

        // The restarts left every workflow waiting: moving the clock past the deadlines times every part out.
        var due = offered.Max(r => ReferralTestKit.Part(r, "p1").GetProperty("dueAt").GetDateTimeOffset());
        await host.SetClockAsync(due.AddMinutes(1));
        var reassigned = await Eventually.Returns(
            () => Task.WhenAll(ids.Values.Select(kit.GetReferralAsync)),
            referrals => referrals.All(r => ReferralTestKit.Part(r, "p1").GetProperty("attempts").GetInt32() == 2),
            TimeSpan.FromMinutes(2));
        foreach (var referral in reassigned)
        {
            var history = referral.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("kind").GetString()).ToList();
            Assert.Single(history, kind => kind == "Submitted");
            Assert.Single(history, kind => kind == "TimedOut");
            Assert.Equal(2, history.Count(kind => kind == "Offered"));
            Assert.NotEqual(firstPartners[referral.GetProperty("id").GetString()!], ReferralTestKit.Part(referral, "p1").GetProperty("partnerId").GetString());
        }

        await AssertEachOfferEmailedOnceAsync(kit, ids.Values, attempt: 2);
        output.WriteLine($"{host.Kills} kills");
        Assert.True(host.Kills >= 3, $"Only {host.Kills} kills happened.");
    }

    [Fact]
    public async Task An_email_whose_send_failed_after_Graph_took_it_goes_again_with_the_same_id_and_no_state_change_repeats()
    {
        var fault = new SendThenThrowOnce();
        await using var kit = await ReferralTestKit.StartAsync(null, services => DecorateMail(services, fault.Around));
        await kit.PutPartnerAsync("gamma");

        var id = await kit.SubmitAsync(SampleRequests.Rfa("crash-mail-throw"));

        // The first send reached the mailbox and then failed; the step was retried and sent it again.
        var second = await kit.WaitForMailAsync("gamma@partners.example", "New ", count: 2);
        var mails = await MailsToAsync(kit, "gamma@partners.example");
        Assert.Equal(2, mails.Count); // at-least-once: a duplicate with the same id, never a lost email
        Assert.Equal(mails[0].GetProperty("id").GetString(), mails[1].GetProperty("id").GetString());
        Assert.Equal(1, fault.Thrown);
        var record = Assert.Single(await MailRecordsAsync(kit, id));
        await Eventually.Returns(async () => Assert.Single(await MailRecordsAsync(kit, id)), r => r.GetDateTimeOffset("SentAt") is not null);
        Assert.Equal(2, (await MailRecordsAsync(kit, id))[0].GetInt32("Attempts"));

        var (status, outcome) = await kit.ActAsync(ReferralTestKit.LinkIn(second), "accept");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Accepted", outcome.GetProperty("outcome").GetString());
        var kinds = Kinds(await kit.GetReferralAsync(id));
        Assert.Equal(["Submitted", "PartnerMatched", "Offered", "Accepted"], kinds.Where(k => k != "PartnersExcluded"));
        Assert.NotNull(record);
    }

    [Fact]
    public async Task An_RFA_retried_after_its_intake_stopped_between_scheduling_the_workflow_and_storing_the_referral_makes_one_referral()
    {
        await using var kit = await ReferralTestKit.StartAsync();
        await kit.PutPartnerAsync("echo");
        var rfa = SampleRequests.Rfa("stopped-intake");

        // What the stopped intake left: the submission's id recorded, and its workflow scheduled, waiting for the rows.
        var recorded = Guid.NewGuid().ToString("N");
        var submissions = new TableClient(kit.Storage, ReferralIntakeService.SubmissionsTable);
        await submissions.CreateIfNotExistsAsync();
        await submissions.AddEntityAsync(new TableEntity("submission", "stopped-intake") { ["ReferralId"] = recorded, ["SubmissionId"] = "stopped-intake" });
        var workflows = kit.App.Services.GetRequiredService<DurableTaskClient>();
        await ReferralWorkflow.StartAsync(workflows, recorded, followsAppClock: true, CancellationToken.None);
        await Eventually.Returns(
            async () => (await workflows.GetInstanceAsync(recorded))?.RuntimeStatus, status => status == OrchestrationRuntimeStatus.Running);

        var id = await kit.SubmitAsync(rfa);

        Assert.Equal(recorded, id);
        await kit.WaitForMailAsync("echo@partners.example", "New ");
        var instance = (await workflows.GetInstanceAsync(recorded))!;
        Assert.Equal(OrchestrationRuntimeStatus.Running, instance.RuntimeStatus);
        Assert.Single(Kinds(await kit.GetReferralAsync(id)), kind => kind == "Offered");
    }

    [Fact]
    public async Task An_accept_racing_the_SLA_timeout_ends_in_exactly_one_of_the_two()
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

            // The deadline passes (the workflow checks it at once) while the partner presses accept.
            var acceptDelay = TimeSpan.FromMilliseconds(round % 4 * 40);
            var clockMoved = kit.SetClockAsync(due.AddSeconds(1));
            var accepting = Task.Run(async () =>
            {
                await Task.Delay(acceptDelay);
                return await kit.ActAsync(link, "accept");
            });
            await clockMoved;
            var (status, outcome) = await accepting;

            // Settled: accepted, or timed out and offered to the other partner.
            var referral = await Eventually.Returns(
                () => kit.GetReferralAsync(id),
                r => ReferralTestKit.Part(r, "p1").GetProperty("status").GetString() == "Active"
                     || ReferralTestKit.Part(r, "p1").GetProperty("attempts").GetInt32() == 2);
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
        }

        output.WriteLine($"accepted first: {accepted}, timed out first: {timedOut}");
    }

    /// <summary>
    /// Each referral's offer of <paramref name="attempt"/> is in the mailbox once, or twice with the same id where its
    /// mail record says a send was started twice (a kill between Graph taking it and the record).
    /// </summary>
    private static async Task AssertEachOfferEmailedOnceAsync(ReferralTestKit kit, IEnumerable<string> referralIds, int attempt)
    {
        foreach (var id in referralIds)
        {
            var offers = await Eventually.Returns(
                async () => (await kit.MailboxAsync()).Where(m => m.GetProperty("subject").GetString()!.StartsWith("New ", StringComparison.Ordinal)
                    && m.GetProperty("id").GetString()!.StartsWith(id + ":", StringComparison.Ordinal)).ToList(),
                found => found.Select(m => m.GetProperty("id").GetString()).Distinct().Count() >= attempt);

            // Read after the mailbox: a send's record is written before Graph takes the email, so it is there now.
            var records = await MailRecordsAsync(kit, id);
            foreach (var sent in offers.GroupBy(m => m.GetProperty("id").GetString()!))
            {
                var record = records.Single(r => sent.Key.EndsWith(":" + r.RowKey, StringComparison.Ordinal));
                Assert.True(
                    sent.Count() == 1 || record.GetInt32("Attempts") >= sent.Count(),
                    $"{sent.Key} was emailed {sent.Count()} times but started {record.GetInt32("Attempts")} times.");
            }

            Assert.Equal(attempt, offers.Select(m => m.GetProperty("id").GetString()).Distinct().Count());
        }
    }

    private static Task<IReadOnlyList<TableEntity>> MailRecordsAsync(ReferralTestKit kit, string referralId) =>
        kit.RowsAsync(ReferralStore.TableName, TableClient.CreateQueryFilter(
            $"PartitionKey eq {referralId} and RowKey ge {"mail-"} and RowKey lt {"mail-~"}"));

    private static List<string> Kinds(JsonElement referral) =>
        [.. referral.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("kind").GetString()!)];

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<List<JsonElement>> MailsToAsync(ReferralTestKit kit, string to) =>
        [.. (await kit.MailboxAsync()).Where(m => m.GetProperty("to").EnumerateArray().Any(a => a.GetString() == to))];

    private static void DecorateMail(IServiceCollection services, Func<IMailSender, IMailSender> decorate)
    {
        services.RemoveAll<IMailSender>();
        services.AddSingleton(provider => decorate(ActivatorUtilities.CreateInstance<GraphMailSender>(provider)));
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

    /// <summary>
    /// A dev host in a process of its own, on the test's storage, that <see cref="KeepKillingAsync"/> kills with SIGKILL
    /// and starts again; requests go to whichever process is up.
    /// </summary>
    private sealed class KilledAndRestarted(string storage, IReadOnlyDictionary<string, string> settings, ITestOutputHelper output) : IAsyncDisposable
    {
        private readonly SemaphoreSlim _swap = new(1, 1);
        private AppProcess? _process;
        private int _kills;

        public int Kills => Volatile.Read(ref _kills);

        public async Task StartAsync() => _process = await AppProcess.StartAsync(storage, settings);

        public async Task KeepKillingAsync(TimeSpan every, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(every, CancellationToken.None);
                await _swap.WaitAsync(CancellationToken.None);
                try
                {
                    _process!.Kill();
                    _process.Dispose();
                    Interlocked.Increment(ref _kills);
                    _process = await AppProcess.StartAsync(storage, settings);
                }
                finally
                {
                    _swap.Release();
                }
            }
        }

        /// <summary>Posts the RFA until it is answered 202, with the same submission id each time, as a client that retries does.</summary>
        public async Task<string> SubmitUntilAcceptedAsync(System.Text.Json.Nodes.JsonObject rfa)
        {
            for (var tries = 1; ; tries++)
            {
                try
                {
                    using var client = Current().CreateClient(FastTrackApp.IntakeKey);
                    using var response = await client.PostAsJsonAsync(new Uri("/api/referrals", UriKind.Relative), rfa);
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
                    }

                    output.WriteLine($"{rfa["submissionId"]}: {response.StatusCode} on try {tries}");
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException or NullReferenceException)
                {
                    // The process was killed under the request, or is being replaced.
                }

                Assert.True(tries < 200, $"{rfa["submissionId"]} was never accepted.");
                await Task.Delay(200);
            }
        }

        public async Task SetClockAsync(DateTimeOffset now)
        {
            using var client = Current().CreateClient();
            (await client.PostAsJsonAsync(new Uri("/api/_dev/clock", UriKind.Relative), new { now })).EnsureSuccessStatusCode();
        }

        public ValueTask DisposeAsync()
        {
            _process?.Dispose();
            _swap.Dispose();
            return ValueTask.CompletedTask;
        }

        private AppProcess Current() => Volatile.Read(ref _process)!;
    }
}
