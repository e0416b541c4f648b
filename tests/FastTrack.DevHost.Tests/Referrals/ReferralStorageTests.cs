using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;
using FastTrack.Domain.Referrals;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using FastTrack.Core.Mail;
using FastTrack.Core.Referrals;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.DevHost.Tests.Referrals;

/// <summary>
/// The referral workflow's conditional writes, each made to lose its race on a real Azurite: the loser gets the
/// answer its caller is built on, and what the winner wrote stands. Each test uses referral ids of its own.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class ReferralStorageTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private readonly ReferralStore _store = new(new StorageResources(StorageAccount.FromConnectionString(azurite.ConnectionString)));

    [Fact]
    public async Task Creating_a_referral_whose_id_exists_returns_false_and_keeps_the_first()
    {
        var id = NewId();
        Assert.True(await _store.CreateAsync(id, Submission("first"), Received(id), CancellationToken.None));

        Assert.False(await _store.CreateAsync(id, Submission("second"), Received(id, "Fabrikam"), CancellationToken.None));

        var stored = (await _store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(("first", "Contoso"), (stored.Submission.SubmissionId, stored.State.Request.Customer.Name));
    }

    [Fact]
    public async Task A_commit_on_a_state_that_changed_since_it_was_loaded_returns_null_and_writes_nothing()
    {
        var id = await CreatedAsync();
        var winner = (await _store.LoadAsync(id, CancellationToken.None))!;
        var loser = (await _store.LoadAsync(id, CancellationToken.None))!;
        Assert.NotNull(await _store.CommitAsync(id, winner, Noted(winner, "the winner"), CancellationToken.None));

        Assert.Null(await _store.CommitAsync(id, loser, Noted(loser, "the loser"), CancellationToken.None));

        var stored = (await _store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(["the winner"], stored.History.Select(entry => entry.Details));
        var loaded = (await _store.LoadAsync(id, CancellationToken.None))!;
        Assert.Equal((1, 1), (loaded.HistoryCount, loaded.Version));
    }

    [Fact]
    public async Task Each_commit_records_its_effects_as_the_next_decision_which_a_step_reads_from_where_it_left_off()
    {
        var id = await CreatedAsync();
        for (var n = 1; n <= 3; n++)
        {
            var loaded = (await _store.LoadAsync(id, CancellationToken.None))!;
            Assert.NotNull(await _store.CommitAsync(id, loaded, Noted(loaded, $"decision {n}"), CancellationToken.None));
        }

        var since = (await _store.ReadSinceAsync(id, performedUpTo: 1, CancellationToken.None))!;

        Assert.Equal(3, since.Loaded.Version);
        Assert.Equal("s-" + id, since.Submission.SubmissionId);
        Assert.Equal([2, 3], since.Decisions.Select(decision => decision.Version));
        Assert.Equal(
            [new NotifyReassignedAfterTimeout("p1", "decision 2"), new NotifyReassignedAfterTimeout("p1", "decision 3")],
            since.Decisions.SelectMany(decision => decision.Effects));
    }

    [Fact]
    public async Task A_commit_returns_the_referral_as_stored_and_a_step_that_adds_its_decision_has_what_reading_again_would_give()
    {
        var id = await CreatedAsync();
        var read = (await _store.ReadSinceAsync(id, performedUpTo: 0, CancellationToken.None))!;
        var decision = Noted(read.Loaded, "decision 1");

        var committed = (await _store.CommitAsync(id, read.Loaded, decision, CancellationToken.None))!;

        var reread = (await _store.ReadSinceAsync(id, performedUpTo: 0, CancellationToken.None))!;
        var added = read.Then(committed, decision);
        Assert.Equivalent(reread.Loaded, added.Loaded, strict: true);
        Assert.Equal(reread.Loaded.ETag, added.Loaded.ETag);
        Assert.Equivalent(reread.Submission, added.Submission, strict: true);
        Assert.Equal(reread.Decisions.Select(d => d.Version), added.Decisions.Select(d => d.Version));
        Assert.Equal(reread.Decisions.SelectMany(d => d.Effects), added.Decisions.SelectMany(d => d.Effects));

        // Its ETag is the stored row's: the next commit on it goes through.
        Assert.NotNull(await _store.CommitAsync(id, committed, Noted(committed, "decision 2"), CancellationToken.None));
    }

    [Fact]
    public async Task A_mail_record_says_how_often_it_was_started_and_when_it_went_and_only_an_unsent_one_is_in_flight()
    {
        var id = await CreatedAsync();
        var loaded = (await _store.LoadAsync(id, CancellationToken.None))!;
        await _store.CommitAsync(id, loaded, Noted(loaded, "an email"), CancellationToken.None);
        var (sent, unsent) = (ReferralStore.MailKey(1, 0), ReferralStore.MailKey(1, 1));
        Assert.True(await _store.TryClaimMailAsync(id, sent, read: null, At, CancellationToken.None));
        Assert.True(await _store.TryClaimMailAsync(id, sent, await MailAsync(id, sent), At.AddMinutes(1), CancellationToken.None));
        await _store.MarkMailSentAsync(id, sent, At.AddMinutes(2), CancellationToken.None);
        Assert.True(await _store.TryClaimMailAsync(id, unsent, read: null, At.AddMinutes(3), CancellationToken.None));

        var mails = (await _store.ReadSinceAsync(id, performedUpTo: 0, CancellationToken.None))!.Mails;

        Assert.Equal((2, At.AddMinutes(1), At.AddMinutes(2)), (mails[sent].Attempts, mails[sent].SendingAt, mails[sent].SentAt));
        Assert.Equal((1, At.AddMinutes(3), (DateTimeOffset?)null), (mails[unsent].Attempts, mails[unsent].SendingAt, mails[unsent].SentAt));
        Assert.Equal([unsent], await _store.MailsInFlightAsync(id, At, CancellationToken.None));
        Assert.Empty(await _store.MailsInFlightAsync(id, At.AddMinutes(4), CancellationToken.None));
        Assert.Empty((await _store.ReadSinceAsync(id, performedUpTo: 1, CancellationToken.None))!.Mails);
    }

    [Fact]
    public async Task Of_two_runs_claiming_one_email_from_the_same_read_one_wins_and_the_record_counts_one_attempt()
    {
        var id = await CreatedAsync();
        var loaded = (await _store.LoadAsync(id, CancellationToken.None))!;
        await _store.CommitAsync(id, loaded, Noted(loaded, "an email"), CancellationToken.None);
        var mail = ReferralStore.MailKey(1, 0);

        var first = await Task.WhenAll(
            _store.TryClaimMailAsync(id, mail, read: null, At, CancellationToken.None),
            _store.TryClaimMailAsync(id, mail, read: null, At, CancellationToken.None));
        var read = await MailAsync(id, mail);
        var again = await Task.WhenAll(
            _store.TryClaimMailAsync(id, mail, read, At.AddMinutes(1), CancellationToken.None),
            _store.TryClaimMailAsync(id, mail, read, At.AddMinutes(1), CancellationToken.None));

        Assert.Single(first, won => won);
        Assert.Single(again, won => won);
        Assert.Equal(2, (await MailAsync(id, mail)).Attempts);
    }

    [Fact]
    public async Task A_rewrite_that_loses_a_race_rewrites_again_from_a_fresh_read()
    {
        var id = await CreatedAsync("Casey Consulting");
        var statePasses = 0;
        Task<LoadedReferral?>? racing = null;
        Referral RedactAfterACommitRacesIn(Referral state)
        {
            if (Interlocked.Increment(ref statePasses) == 1)
            {
                // Between the rewrite's read and its writes, a command commits and mentions the person again.
                racing = Task.Run(async () =>
                {
                    var loaded = (await _store.LoadAsync(id, CancellationToken.None))!;
                    return await _store.CommitAsync(id, loaded, Noted(loaded, "Casey called back"), CancellationToken.None);
                });
                SpinWait.SpinUntil(() => racing.IsCompleted, TimeSpan.FromSeconds(30));
            }

            return state with { Request = state.Request with { Customer = state.Request.Customer with { Name = Erase(state.Request.Customer.Name) } } };
        }

        await _store.RewriteAsync(
            id,
            new ReferralRewrite(
                submission => submission with { Contact = submission.Contact with { Name = Erase(submission.Contact.Name) } },
                RedactAfterACommitRacesIn,
                entry => entry with { Details = Erase(entry.Details!) }),
            CancellationToken.None);

        Assert.NotNull(await racing!);
        Assert.Equal(2, statePasses);
        var stored = (await _store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(["[erased] called back"], stored.History.Select(entry => entry.Details));
        Assert.Equal("[erased] Consulting", stored.State.Request.Customer.Name);
        Assert.Equal("[erased] Customer", stored.Submission.Contact.Name);
    }

    [Fact]
    public async Task A_referrals_state_row_reads_back_with_the_SDKs_own_TableClient()
    {
        var id = await CreatedAsync();

        var row = (await new TableClient(azurite.ConnectionString, ReferralStore.TableName).GetEntityAsync<TableEntity>(id, "state")).Value;

        Assert.Equal("Matching", row.GetString("Status"));
        Assert.Equal((0, 0), (row.GetInt32("HistoryCount"), row.GetInt32("Version")));
        using var state = JsonDocument.Parse(row.GetString("State")!);
        Assert.Equal(id, state.RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_submission_whose_referral_id_was_recorded_before_a_crash_is_created_under_that_id()
    {
        var submissionId = "recorded-" + NewId();
        var recorded = NewId();
        var submissions = new TableClient(azurite.ConnectionString, ReferralIntakeService.SubmissionsTable);
        await submissions.CreateIfNotExistsAsync();
        await submissions.AddEntityAsync(new TableEntity("submission", submissionId) { ["ReferralId"] = recorded, ["SubmissionId"] = submissionId });
        await using var app = new FastTrackApp(azurite.ConnectionString, new Dictionary<string, string?> { ["Triggers:RunLocally"] = "false" });

        var response = await app.CreateClient(FastTrackApp.IntakeKey).PostAsJsonAsync(new Uri("/api/referrals", UriKind.Relative), SampleRequests.Rfa(submissionId));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(recorded, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        Assert.NotNull(await _store.LoadAsync(recorded, CancellationToken.None));
    }

    private async Task<string> CreatedAsync(string customerName = "Contoso")
    {
        var id = NewId();
        Assert.True(await _store.CreateAsync(id, Submission("s-" + id), Received(id, customerName), CancellationToken.None));
        return id;
    }

    /// <summary>A referral just received, not yet matched.</summary>
    private static Referral Received(string id, string customerName = "Contoso")
    {
        var customer = new Customer("tenant-" + id, "tpid-" + id, customerName, "US", "en", Segment.Commercial, 2000);
        var request = new MatchRequest(customer, ReferralType.Standard, new HashSet<Workload> { Workload.Teams }, new Dictionary<string, IReadOnlySet<Workload>>());
        return Referral.Received(id, request);
    }

    /// <summary>
    /// A decision that changes nothing but adds a history entry and asks for one email (naming it by its details):
    /// enough to move the state row's ETag on and record a decision.
    /// </summary>
    private static Decision Noted(LoadedReferral loaded, string details) =>
        new(DecisionOutcome.AlreadyDone, details, loaded.State, [new HistoryEntry(At, HistoryKind.Submitted, "test", Details: details)],
            [new NotifyReassignedAfterTimeout("p1", details)]);

    private static ReferralSubmission Submission(string submissionId) => new(
        submissionId, new Requestor("Sam Seller", "sam@microsoft.example", true), new CustomerContact("Casey Customer", "casey@contoso.example", null), null, null, At);

    private static string Erase(string text) => text.Replace("Casey", "[erased]", StringComparison.Ordinal);

    private static string NewId() => Guid.NewGuid().ToString("N");

    private async Task<MailRecord> MailAsync(string referralId, string mailKey) =>
        (await _store.ReadSinceAsync(referralId, performedUpTo: 0, CancellationToken.None))!.Mails[mailKey];
}
