using System.Globalization;
using Azure.Data.Tables;
using FastTrack.Core.Mail;
using FastTrack.Core.Referrals;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;
using FastTrack.Domain.Referrals;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FastTrack.DevHost.Tests.Referrals;

/// <summary>
/// The lists' index backfill (<see cref="ReferralIndexBackfill"/>) on referrals stored as a version of the app without
/// the index stored them: a state row and an RFA row, no index entry. The app's own timer is off: the tests run it, a
/// few referrals a run, a new run standing for the next timer occurrence after a stop.
/// </summary>
public sealed class ReferralIndexBackfillTests
{
    private static readonly DateTimeOffset Received = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string?> TimersOff = new() { ["Triggers:RunLocally"] = "false" };

    [Fact]
    public async Task Referrals_stored_before_the_index_are_listed_by_every_filter_once_the_backfill_has_run_to_the_end_and_a_run_after_that_reads_only_the_marker()
    {
        await using var kit = await ReferralTestKit.StartAsync(TimersOff);
        var store = kit.App.Services.GetRequiredService<ReferralStore>();
        var backfill = kit.App.Services.GetRequiredService<ReferralIndexBackfill>();
        var referrals = new[]
        {
            Stored("old-1", Part("p1", PartStatus.Completed, "alpha")),
            Stored("old-2", Part("p1", PartStatus.Active, "alpha"), Part("p2", PartStatus.Offered, "bravo")),
            Stored("old-3", Part("p1", PartStatus.Unmatched, null)),
            Stored("old-4", Part("p1", PartStatus.Active, "bravo")),
            Stored("old-5", Part("p1", PartStatus.Offered, "alpha")),
        };
        foreach (var (referral, n) in referrals.Select((referral, n) => (referral, n)))
        {
            await StoreAsync(kit, store, referral, Received.AddMinutes(n), version: n);
        }

        // The oldest versions did not copy the receipt time onto the state row: the RFA row has it.
        await ChangeStateRowAsync(kit, "old-3", state => state.Remove("CreatedAt"));
        Assert.Empty(await ReferralListTests.IdsAsync(kit, ""));

        var runs = 0;
        do
        {
            await backfill.RunAsync(limit: 2, CancellationToken.None);
            runs++;
        }
        while ((await MarkerAsync(kit)).GetBoolean("Done") != true && runs < 10);

        Assert.Equal(3, runs);
        Assert.Equal(["old-5", "old-4", "old-3", "old-2", "old-1"], await ReferralListTests.IdsAsync(kit, ""));
        Assert.Equal(["old-1"], await ReferralListTests.IdsAsync(kit, "?status=Completed"));
        Assert.Equal(["old-5", "old-2"], await ReferralListTests.IdsAsync(kit, "?status=Offered"));
        Assert.Equal(["old-3"], await ReferralListTests.IdsAsync(kit, "?status=Unmatched"));
        Assert.Equal(["old-5", "old-2", "old-1"], await ReferralListTests.IdsAsync(kit, "?partnerId=alpha"));
        Assert.Equal(["old-4", "old-2"], await ReferralListTests.IdsAsync(kit, "?partnerId=bravo"));
        Assert.Equal(["old-2"], await ReferralListTests.IdsAsync(kit, "?partnerId=bravo&status=Offered"));
        Assert.Equal(
            ["created@3", "partner-bravo@3", "status-Active@3"],
            (await kit.RowsAsync(ReferralIndex.TableName, "ReferralId eq 'old-4'")).Select(entry => $"{entry.PartitionKey}@{entry.GetInt32("Version")}").Order(StringComparer.Ordinal));
        var done = await MarkerAsync(kit);
        Assert.Equal((5, 15, null), (done.GetInt32("Referrals"), done.GetInt32("EntriesAdded"), done.GetString("ContinuationToken")));

        // Done: a run reads the marker and nothing else, so an entry lost now stays lost and the marker stays as it was.
        var created = (await kit.RowsAsync(ReferralIndex.TableName, "PartitionKey eq 'created' and ReferralId eq 'old-1'")).Single();
        await new TableClient(kit.Storage, ReferralIndex.TableName).DeleteEntityAsync(created.PartitionKey, created.RowKey);
        await backfill.RunAsync(CancellationToken.None);

        Assert.Empty(await kit.RowsAsync(ReferralIndex.TableName, "PartitionKey eq 'created' and ReferralId eq 'old-1'"));
        Assert.Equal(done.ETag, (await MarkerAsync(kit)).ETag);
    }

    [Fact]
    public async Task A_run_that_stopped_part_way_goes_on_from_the_saved_position_and_leaves_an_entry_the_workflow_wrote_as_it_was()
    {
        await using var kit = await ReferralTestKit.StartAsync(TimersOff);
        var store = kit.App.Services.GetRequiredService<ReferralStore>();
        var backfill = kit.App.Services.GetRequiredService<ReferralIndexBackfill>();
        foreach (var n in Enumerable.Range(1, 4))
        {
            await StoreAsync(kit, store, Stored($"old-{n}", Part("p1", PartStatus.Active, "alpha")), Received.AddMinutes(n), version: 1);
        }

        await backfill.RunAsync(limit: 2, CancellationToken.None);

        var stopped = await MarkerAsync(kit);
        Assert.Equal((false, 2), (stopped.GetBoolean("Done"), stopped.GetInt32("Referrals")));
        Assert.NotNull(stopped.GetString("ContinuationToken"));
        Assert.Equal(["old-2", "old-1"], await ReferralListTests.IdsAsync(kit, ""));

        // Take away what the first run wrote: a run that started the scan again would write it back.
        var index = new TableClient(kit.Storage, ReferralIndex.TableName);
        foreach (var entry in await kit.RowsAsync(ReferralIndex.TableName, "PartitionKey ne 'backfill'"))
        {
            await index.DeleteEntityAsync(entry.PartitionKey, entry.RowKey);
        }

        // A transition of old-4 in flight: its intent, written for version 2, which is not committed yet.
        var old4Key = RowKeyOf(Received.AddMinutes(4), "old-4");
        await index.AddEntityAsync(new TableEntity("status-Completed", old4Key) { ["ReferralId"] = "old-4", ["Version"] = 2 });
        await index.AddEntityAsync(new TableEntity("partner-alpha", old4Key) { ["ReferralId"] = "old-4", ["Version"] = 2 });

        await backfill.RunAsync(limit: 2, CancellationToken.None);

        Assert.Equal(["old-4", "old-3"], await ReferralListTests.IdsAsync(kit, ""));
        Assert.Empty(await kit.RowsAsync(ReferralIndex.TableName, "ReferralId eq 'old-1' or ReferralId eq 'old-2'"));
        Assert.Equal(2, (await kit.RowsAsync(ReferralIndex.TableName, "PartitionKey eq 'partner-alpha' and ReferralId eq 'old-4'")).Single().GetInt32("Version"));
        var done = await MarkerAsync(kit);
        Assert.Equal((true, 4, 11), (done.GetBoolean("Done"), done.GetInt32("Referrals"), done.GetInt32("EntriesAdded")));
    }

    private static Referral Stored(string id, params AssignmentPart[] parts) => new(
        id,
        new MatchRequest(
            new Customer($"tenant-{id}", $"tpid-{id}", $"Customer {id}", "US", "en", Segment.Commercial, 2000),
            ReferralType.Standard,
            new HashSet<Workload> { Workload.Teams },
            new Dictionary<string, IReadOnlySet<Workload>>()),
        parts);

    private static AssignmentPart Part(string id, PartStatus status, string? partnerId) => new(
        id,
        new HashSet<Workload> { Workload.Teams },
        status,
        partnerId,
        1,
        Received,
        status == PartStatus.Offered ? Received.AddDays(2) : null,
        new HashSet<string>(),
        status == PartStatus.Completed ? new Completion(false, 1000m, "USD", null, Received.AddDays(10)) : null);

    /// <summary>
    /// The referral's partition as it stands after <paramref name="version"/> decisions (the decision and history rows
    /// left out: the backfill reads only the state row and the RFA row), and no index entry.
    /// </summary>
    private static async Task StoreAsync(ReferralTestKit kit, ReferralStore store, Referral referral, DateTimeOffset receivedAt, int version)
    {
        var submission = new ReferralSubmission(
            "submission-" + referral.Id, new Requestor("Sam", "sam@microsoft.example", true), new CustomerContact("Casey", "casey@example.com", null),
            null, null, receivedAt);
        Assert.True(await store.CreateAsync(referral.Id, submission, referral, CancellationToken.None));
        await ChangeStateRowAsync(kit, referral.Id, state => state["Version"] = version);
    }

    private static async Task ChangeStateRowAsync(ReferralTestKit kit, string referralId, Action<TableEntity> change)
    {
        var states = new TableClient(kit.Storage, ReferralStore.TableName);
        var state = (await states.GetEntityAsync<TableEntity>(referralId, "state")).Value;
        change(state);
        await states.UpdateEntityAsync(state, state.ETag, TableUpdateMode.Replace);
    }

    private static async Task<TableEntity> MarkerAsync(ReferralTestKit kit) =>
        (await kit.RowsAsync(
            ReferralIndex.TableName,
            $"PartitionKey eq '{ReferralIndexBackfill.MarkerPartition}' and RowKey eq '{ReferralIndexBackfill.MarkerRow}'")).Single();

    /// <summary>The index's row key (<see cref="ReferralIndex"/>): the receipt time as inverted ticks, then the id.</summary>
    private static string RowKeyOf(DateTimeOffset receivedAt, string referralId) =>
        string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.MaxValue.UtcTicks - receivedAt.UtcTicks:D19}-{referralId}");
}
