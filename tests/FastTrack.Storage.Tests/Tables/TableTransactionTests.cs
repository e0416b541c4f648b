using Azure;
using FastTrack.Storage.Tables;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.Storage.Tests.Tables;

[Collection(AzuriteGroup.Name)]
public sealed class TableTransactionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Every_action_type_commits_together_and_each_response_carries_its_etag()
    {
        var table = await TestTables.CreateAsync(azurite);
        var mergeMe = await table.AddEntityAsync(new TableEntity("p", "merge") { ["Kept"] = "yes" });
        var replaceMe = await table.AddEntityAsync(new TableEntity("p", "replace") { ["Dropped"] = "yes" });
        var deleteMe = await table.AddEntityAsync(new TableEntity("p", "delete"));
        await table.AddEntityAsync(new TableEntity("p", "upsert-merge") { ["Kept"] = "yes" });

        var result = await table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "add") { ["V"] = 1 }),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "merge") { ["V"] = 2 }, mergeMe.Headers.ETag!.Value),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("p", "replace") { ["V"] = 3 }, replaceMe.Headers.ETag!.Value),
            new(TableTransactionActionType.Delete, new TableEntity("p", "delete"), deleteMe.Headers.ETag!.Value),
            new(TableTransactionActionType.UpsertMerge, new TableEntity("p", "upsert-merge") { ["V"] = 5 }),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "upsert-replace") { ["V"] = 6 }),
        ]);

        var rows = (await TestTables.AllAsync(table)).ToDictionary(e => e.RowKey);
        Assert.Equal(6, result.Value.Count);
        Assert.All(result.Value, part => Assert.Equal(204, part.Status));
        Assert.Equal(rows["add"].ETag, result.Value[0].Headers.ETag);
        Assert.Equal(rows["merge"].ETag, result.Value[1].Headers.ETag);
        Assert.Equal(["add", "merge", "replace", "upsert-merge", "upsert-replace"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("yes", rows["merge"].GetString("Kept"));
        Assert.Equal(2, rows["merge"].GetInt32("V"));
        Assert.False(rows["replace"].ContainsKey("Dropped"));
        Assert.Equal("yes", rows["upsert-merge"].GetString("Kept"));
        Assert.Equal(6, rows["upsert-replace"].GetInt32("V"));
    }

    [Fact]
    public async Task A_stale_etag_fails_the_batch_with_412_and_its_index_and_rolls_everything_back()
    {
        var table = await TestTables.CreateAsync(azurite);
        var stale = (await table.AddEntityAsync(new TableEntity("p", "state") { ["Version"] = 1 })).Headers.ETag!.Value;
        await table.UpsertEntityAsync(new TableEntity("p", "state") { ["Version"] = 2 });

        var failure = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "history-1")),
            new(TableTransactionActionType.Add, new TableEntity("p", "outbox-1")),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "state") { ["Version"] = 3 }, stale),
        ]));

        Assert.Equal(412, failure.Status);
        Assert.Equal("UpdateConditionNotSatisfied", failure.ErrorCode);
        Assert.Equal(2, failure.FailedTransactionActionIndex);
        var rows = await TestTables.AllAsync(table);
        Assert.Equal("state", Assert.Single(rows).RowKey);
        Assert.Equal(2, rows[0].GetInt32("Version"));
    }

    [Fact]
    public async Task A_duplicate_add_fails_the_batch_with_409_and_its_index_and_adds_nothing()
    {
        var table = await TestTables.CreateAsync(azurite);
        await table.AddEntityAsync(new TableEntity("p", "exists"));

        var failure = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "a")),
            new(TableTransactionActionType.Add, new TableEntity("p", "exists")),
            new(TableTransactionActionType.Add, new TableEntity("p", "b")),
        ]));

        Assert.Equal(409, failure.Status);
        Assert.Equal("EntityAlreadyExists", failure.ErrorCode);
        Assert.Equal(1, failure.FailedTransactionActionIndex);
        Assert.Equal("exists", Assert.Single(await TestTables.AllAsync(table)).RowKey);
    }

    [Fact]
    public async Task An_update_of_a_missing_entity_fails_the_batch_with_404_and_its_index()
    {
        var table = await TestTables.CreateAsync(azurite);

        var failure = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "a")),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("p", "missing")),
        ]));

        Assert.Equal(404, failure.Status);
        Assert.Equal(1, failure.FailedTransactionActionIndex);
        Assert.Empty(await TestTables.AllAsync(table));
    }

    public static TheoryData<string, int> RefusedTransactions => new()
    {
        { "none", 0 },
        { "101 actions", 101 },
        { "two partitions", 2 },
        { "a row key twice", 2 },
    };

    [Theory]
    [MemberData(nameof(RefusedTransactions))]
    public async Task A_transaction_the_service_must_refuse_is_refused_before_sending(string shape, int count)
    {
        var table = await TestTables.CreateAsync(azurite);
        var actions = Enumerable.Range(0, count).Select(i => new TableTransactionAction(
            TableTransactionActionType.Add,
            new TableEntity(
                shape == "two partitions" ? $"p{i}" : "p",
                shape == "a row key twice" ? "same" : $"r{i}"))).ToList();

        var failure = await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(actions));

        Assert.Equal("transactionActions", failure.ParamName);
        Assert.Empty(await TestTables.AllAsync(table));
    }

    [Fact]
    public async Task A_transaction_of_exactly_100_actions_commits()
    {
        var table = await TestTables.CreateAsync(azurite);

        var result = await table.SubmitTransactionAsync(Enumerable.Range(0, 100).Select(i =>
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", $"r{i:D3}"))));

        Assert.Equal(100, result.Value.Count);
        Assert.Equal(100, (await TestTables.AllAsync(table)).Count);
    }
}
