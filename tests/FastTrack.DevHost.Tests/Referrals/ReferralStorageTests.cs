using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure;
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
        Assert.True(await _store.CreateAsync(id, Submission("first"), Received(id, ["first"]), CancellationToken.None));

        Assert.False(await _store.CreateAsync(id, Submission("second"), Received(id, ["second", "and more"]), CancellationToken.None));

        var stored = (await _store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal("first", stored.Submission.SubmissionId);
        Assert.Equal(["first"], stored.History.Select(entry => entry.Details));
    }

    [Fact]
    public async Task A_commit_on_a_state_that_changed_since_it_was_loaded_returns_false_and_writes_nothing()
    {
        var id = await CreatedAsync();
        var winner = (await _store.LoadAsync(id, CancellationToken.None))!;
        var loser = (await _store.LoadAsync(id, CancellationToken.None))!;
        Assert.True(await _store.CommitAsync(id, winner, Noted(winner, "the winner"), CancellationToken.None));

        Assert.False(await _store.CommitAsync(id, loser, Noted(loser, "the loser"), CancellationToken.None));

        var stored = (await _store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(["received", "the winner"], stored.History.Select(entry => entry.Details));
        Assert.Equal(2, (await _store.LoadAsync(id, CancellationToken.None))!.HistoryCount);
    }

    [Fact]
    public async Task A_rewrite_that_loses_a_race_rewrites_again_from_a_fresh_read()
    {
        var id = await CreatedAsync("Casey Consulting");
        var statePasses = 0;
        Task<bool>? racing = null;
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

        Assert.True(await racing!);
        Assert.Equal(2, statePasses);
        var stored = (await _store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal(["received", "[erased] called back"], stored.History.Select(entry => entry.Details));
        Assert.Equal("[erased] Consulting", stored.State.Request.Customer.Name);
        Assert.Equal("[erased] Customer", stored.Submission.Contact.Name);
    }

    [Fact]
    public async Task Clearing_a_dispatch_mark_made_again_since_it_was_read_keeps_it()
    {
        var pending = new PendingDispatch(new StorageResources(StorageAccount.FromConnectionString(azurite.ConnectionString)));
        var id = NewId();
        await pending.MarkAsync(id, At, CancellationToken.None);
        var read = (await pending.ReadAsync(id, CancellationToken.None))!.Value;
        await pending.MarkAsync(id, At.AddSeconds(1), CancellationToken.None);

        await pending.ClearAsync(id, read, CancellationToken.None);

        var current = await pending.ReadAsync(id, CancellationToken.None);
        Assert.NotNull(current);
        await pending.ClearAsync(id, current.Value, CancellationToken.None);
        Assert.Null(await pending.ReadAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task An_effect_claimed_first_by_another_dispatcher_is_not_claimed_again()
    {
        var id = await CreatedAsync();
        var listed = Assert.Single(await _store.Outbox.ListAsync(id, CancellationToken.None));
        Assert.NotNull(await _store.Outbox.ClaimAsync(listed, At.AddMinutes(5), CancellationToken.None));

        Assert.Null(await _store.Outbox.ClaimAsync(listed, At.AddMinutes(5), CancellationToken.None));

        Assert.Equal(1, Assert.Single(await _store.Outbox.ListAsync(id, CancellationToken.None)).Tries);
    }

    [Fact]
    public async Task An_effect_done_by_another_dispatcher_is_not_claimed()
    {
        var id = await CreatedAsync();
        var listed = Assert.Single(await _store.Outbox.ListAsync(id, CancellationToken.None));
        var claimed = (await _store.Outbox.ClaimAsync(listed, At.AddMinutes(5), CancellationToken.None))!;
        await _store.Outbox.CompleteAsync(claimed, CancellationToken.None);

        Assert.Null(await _store.Outbox.ClaimAsync(listed, At.AddMinutes(5), CancellationToken.None));
    }

    [Fact]
    public async Task A_dispatcher_whose_claim_was_taken_over_neither_releases_nor_completes_the_effect()
    {
        var id = await CreatedAsync();
        var expired = (await _store.Outbox.ClaimAsync(
            Assert.Single(await _store.Outbox.ListAsync(id, CancellationToken.None)), At, CancellationToken.None))!;
        var takenOver = (await _store.Outbox.ClaimAsync(
            Assert.Single(await _store.Outbox.ListAsync(id, CancellationToken.None)), At.AddMinutes(10), CancellationToken.None))!;

        await _store.Outbox.ReleaseAsync(expired, CancellationToken.None);
        var completing = await Assert.ThrowsAsync<RequestFailedException>(() => _store.Outbox.CompleteAsync(expired, CancellationToken.None));

        Assert.Equal(412, completing.Status);
        var effect = Assert.Single(await _store.Outbox.ListAsync(id, CancellationToken.None));
        Assert.Equal((takenOver.ClaimedUntil, 2), (effect.ClaimedUntil, effect.Tries));
    }

    [Fact]
    public async Task A_referrals_state_row_reads_back_with_the_SDKs_own_TableClient()
    {
        var id = await CreatedAsync();

        var row = (await new TableClient(azurite.ConnectionString, ReferralStore.TableName).GetEntityAsync<TableEntity>(id, "state")).Value;

        Assert.Equal("Matching", row.GetString("Status"));
        Assert.Equal((1, 1), (row.GetInt32("HistoryCount"), row.GetInt32("OutboxCount")));
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
        Assert.True(await _store.CreateAsync(id, Submission("s-" + id), Received(id, ["received"], customerName), CancellationToken.None));
        return id;
    }

    /// <summary>A referral just received: a history entry for each of <paramref name="details"/>, and one event to publish.</summary>
    private static Decision Received(string id, IReadOnlyList<string> details, string customerName = "Contoso")
    {
        var customer = new Customer("tenant-" + id, "tpid-" + id, customerName, "US", "en", Segment.Commercial, 2000);
        var request = new MatchRequest(customer, ReferralType.Standard, new HashSet<Workload> { Workload.Teams }, new Dictionary<string, IReadOnlySet<Workload>>());
        return new Decision(
            DecisionOutcome.Submitted,
            "received",
            Referral.Received(id, request),
            [.. details.Select(text => new HistoryEntry(At, HistoryKind.Submitted, "test", Details: text))],
            [new PublishEvent(HistoryKind.Submitted, null, ReferralStatus.Matching)]);
    }

    /// <summary>A decision that changes nothing but adds a history entry: enough to move the state row's ETag on.</summary>
    private static Decision Noted(LoadedReferral loaded, string details) =>
        new(DecisionOutcome.AlreadyDone, details, loaded.State, [new HistoryEntry(At, HistoryKind.Submitted, "test", Details: details)], []);

    private static ReferralSubmission Submission(string submissionId) => new(
        submissionId, new Requestor("Sam Seller", "sam@microsoft.example", true), new CustomerContact("Casey Customer", "casey@contoso.example", null), null, null, At);

    private static string Erase(string text) => text.Replace("Casey", "[erased]", StringComparison.Ordinal);

    private static string NewId() => Guid.NewGuid().ToString("N");
}
