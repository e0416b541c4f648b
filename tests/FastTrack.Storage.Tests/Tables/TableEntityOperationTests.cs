using Azure;
using FastTrack.Storage.Tables;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.Storage.Tests.Tables;

[Collection(AzuriteGroup.Name)]
public sealed class TableEntityOperationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Creating_a_table_twice_answers_409_the_second_time_without_throwing()
    {
        var table = new TableClient(azurite.ConnectionString.ToString(), "t" + Guid.NewGuid().ToString("N")[..16]);

        var first = await table.CreateIfNotExistsAsync();
        var second = await table.CreateIfNotExistsAsync();

        Assert.Equal(204, first.Status);
        Assert.Equal(409, second.Status);
    }

    [Fact]
    public async Task A_deleted_table_refuses_entities_with_404_and_deleting_it_again_answers_404()
    {
        var table = await TestTables.CreateAsync(azurite);

        var deleted = await table.DeleteAsync();
        var failure = await Assert.ThrowsAsync<RequestFailedException>(
            () => table.AddEntityAsync(new TableEntity("p", "r")));
        var again = await table.DeleteAsync();

        Assert.Equal(204, deleted.Status);
        Assert.Equal(404, failure.Status);
        Assert.Equal("TableNotFound", failure.ErrorCode);
        Assert.Equal(404, again.Status);
    }

    [Fact]
    public async Task An_added_entity_reads_back_with_the_etag_the_add_returned()
    {
        var table = await TestTables.CreateAsync(azurite);

        var added = await table.AddEntityAsync(new TableEntity("p", "r") { ["Name"] = "Ada" });
        var read = await table.GetEntityAsync("p", "r");

        Assert.Equal(204, added.Status);
        Assert.NotNull(added.Headers.ETag);
        Assert.Equal(added.Headers.ETag, read.Value.ETag);
        Assert.Equal("Ada", read.Value.GetString("Name"));
        Assert.Equal("p", read.Value.PartitionKey);
        Assert.Equal("r", read.Value.RowKey);
        Assert.NotNull(read.Value.Timestamp);
    }

    [Fact]
    public async Task Adding_an_entity_that_exists_fails_with_409_EntityAlreadyExists()
    {
        var table = await TestTables.CreateAsync(azurite);
        await table.AddEntityAsync(new TableEntity("p", "r"));

        var failure = await Assert.ThrowsAsync<RequestFailedException>(
            () => table.AddEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(409, failure.Status);
        Assert.Equal("EntityAlreadyExists", failure.ErrorCode);
    }

    [Fact]
    public async Task Getting_a_missing_entity_fails_with_404_ResourceNotFound()
    {
        var table = await TestTables.CreateAsync(azurite);

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => table.GetEntityAsync("p", "missing"));

        Assert.Equal(404, failure.Status);
        Assert.Equal("ResourceNotFound", failure.ErrorCode);
    }

    [Fact]
    public async Task Getting_a_missing_entity_if_it_exists_gives_no_value_and_no_exception()
    {
        var table = await TestTables.CreateAsync(azurite);
        await table.AddEntityAsync(new TableEntity("p", "there"));

        var missing = await table.GetEntityIfExistsAsync("p", "missing");
        var there = await table.GetEntityIfExistsAsync("p", "there");

        Assert.False(missing.HasValue);
        Assert.Equal(404, missing.GetRawResponse().Status);
        Assert.True(there.HasValue);
        Assert.Equal("there", there.Value!.RowKey);
    }

    [Fact]
    public async Task Reading_or_deleting_an_entity_of_a_missing_table_fails_with_404_TableNotFound()
    {
        var table = await TestTables.CreateAsync(azurite);
        await table.DeleteAsync();

        var get = await Assert.ThrowsAsync<RequestFailedException>(() => table.GetEntityIfExistsAsync("p", "r"));
        var delete = await Assert.ThrowsAsync<RequestFailedException>(() => table.DeleteEntityAsync("p", "r"));

        Assert.Equal((404, "TableNotFound"), (get.Status, get.ErrorCode));
        Assert.Equal((404, "TableNotFound"), (delete.Status, delete.ErrorCode));
    }

    [Fact]
    public async Task Keys_with_quotes_spaces_and_unicode_address_the_right_entity()
    {
        var table = await TestTables.CreateAsync(azurite);
        var entity = new TableEntity("O'Brien & co", "it's 50% ünïcode") { ["N"] = 1 };

        await table.AddEntityAsync(entity);
        var read = await table.GetEntityAsync(entity.PartitionKey, entity.RowKey);
        await table.UpdateEntityAsync(new TableEntity(entity.PartitionKey, entity.RowKey) { ["N"] = 2 }, read.Value.ETag);
        var deleted = await table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey);

        Assert.Equal(1, read.Value.GetInt32("N"));
        Assert.Equal(204, deleted.Status);
        Assert.Empty(await TestTables.AllAsync(table));
    }

    [Fact]
    public async Task Get_with_select_returns_only_the_chosen_properties()
    {
        var table = await TestTables.CreateAsync(azurite);
        await table.AddEntityAsync(new TableEntity("p", "r") { ["A"] = "a", ["B"] = "b", ["C"] = "c" });

        var read = await table.GetEntityAsync("p", "r", select: ["A", "C"]);

        Assert.Equal(["A", "C"], read.Value.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Upsert_merge_keeps_properties_it_does_not_send_and_replace_drops_them()
    {
        var table = await TestTables.CreateAsync(azurite);
        await table.AddEntityAsync(new TableEntity("p", "merged") { ["Kept"] = "yes", ["Changed"] = 1 });
        await table.AddEntityAsync(new TableEntity("p", "replaced") { ["Kept"] = "yes", ["Changed"] = 1 });

        await table.UpsertEntityAsync(new TableEntity("p", "merged") { ["Changed"] = 2 }, TableUpdateMode.Merge);
        await table.UpsertEntityAsync(new TableEntity("p", "replaced") { ["Changed"] = 2 }, TableUpdateMode.Replace);
        var merged = (await table.GetEntityAsync("p", "merged")).Value;
        var replaced = (await table.GetEntityAsync("p", "replaced")).Value;

        Assert.Equal("yes", merged.GetString("Kept"));
        Assert.Equal(2, merged.GetInt32("Changed"));
        Assert.False(replaced.ContainsKey("Kept"));
        Assert.Equal(2, replaced.GetInt32("Changed"));
    }

    [Theory]
    [InlineData(TableUpdateMode.Merge)]
    [InlineData(TableUpdateMode.Replace)]
    public async Task Upsert_inserts_an_entity_that_does_not_exist(TableUpdateMode mode)
    {
        var table = await TestTables.CreateAsync(azurite);

        var upserted = await table.UpsertEntityAsync(new TableEntity("p", "new") { ["V"] = "v" }, mode);
        var read = await table.GetEntityAsync("p", "new");

        Assert.Equal(upserted.Headers.ETag, read.Value.ETag);
        Assert.Equal("v", read.Value.GetString("V"));
    }

    [Theory]
    [InlineData(TableUpdateMode.Merge)]
    [InlineData(TableUpdateMode.Replace)]
    public async Task Update_with_the_current_etag_succeeds_and_returns_a_new_etag(TableUpdateMode mode)
    {
        var table = await TestTables.CreateAsync(azurite);
        var added = await table.AddEntityAsync(new TableEntity("p", "r") { ["Kept"] = "yes", ["V"] = 1 });

        var updated = await table.UpdateEntityAsync(new TableEntity("p", "r") { ["V"] = 2 }, added.Headers.ETag!.Value, mode);
        var read = (await table.GetEntityAsync("p", "r")).Value;

        Assert.NotEqual(added.Headers.ETag, updated.Headers.ETag);
        Assert.Equal(updated.Headers.ETag, read.ETag);
        Assert.Equal(2, read.GetInt32("V"));
        Assert.Equal(mode == TableUpdateMode.Merge, read.ContainsKey("Kept"));
    }

    [Theory]
    [InlineData(TableUpdateMode.Merge)]
    [InlineData(TableUpdateMode.Replace)]
    public async Task Update_with_a_stale_etag_fails_with_412_and_changes_nothing(TableUpdateMode mode)
    {
        var table = await TestTables.CreateAsync(azurite);
        var stale = (await table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 })).Headers.ETag!.Value;
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["V"] = 2 });

        var failure = await Assert.ThrowsAsync<RequestFailedException>(
            () => table.UpdateEntityAsync(new TableEntity("p", "r") { ["V"] = 3 }, stale, mode));

        Assert.Equal(412, failure.Status);
        Assert.Equal("UpdateConditionNotSatisfied", failure.ErrorCode);
        Assert.Equal(2, (await table.GetEntityAsync("p", "r")).Value.GetInt32("V"));
    }

    [Fact]
    public async Task Update_of_a_missing_entity_fails_with_404()
    {
        var table = await TestTables.CreateAsync(azurite);

        var failure = await Assert.ThrowsAsync<RequestFailedException>(
            () => table.UpdateEntityAsync(new TableEntity("p", "missing"), ETag.All));

        Assert.Equal(404, failure.Status);
        Assert.Equal("ResourceNotFound", failure.ErrorCode);
    }

    [Fact]
    public async Task Update_without_an_etag_is_refused_before_sending()
    {
        var table = await TestTables.CreateAsync(azurite);

        await Assert.ThrowsAsync<ArgumentException>(() => table.UpdateEntityAsync(new TableEntity("p", "r"), default));
    }

    [Fact]
    public async Task Delete_with_a_stale_etag_fails_with_412_and_keeps_the_entity()
    {
        var table = await TestTables.CreateAsync(azurite);
        var stale = (await table.AddEntityAsync(new TableEntity("p", "r"))).Headers.ETag!.Value;
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["V"] = 2 });

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => table.DeleteEntityAsync("p", "r", stale));

        Assert.Equal(412, failure.Status);
        Assert.Equal("UpdateConditionNotSatisfied", failure.ErrorCode);
        Assert.True((await table.GetEntityIfExistsAsync("p", "r")).HasValue);
    }

    [Fact]
    public async Task Delete_with_the_current_etag_removes_the_entity()
    {
        var table = await TestTables.CreateAsync(azurite);
        var current = (await table.AddEntityAsync(new TableEntity("p", "r"))).Headers.ETag!.Value;

        var deleted = await table.DeleteEntityAsync("p", "r", current);

        Assert.Equal(204, deleted.Status);
        Assert.False((await table.GetEntityIfExistsAsync("p", "r")).HasValue);
    }

    [Fact]
    public async Task Deleting_a_missing_entity_answers_404_without_throwing()
    {
        var table = await TestTables.CreateAsync(azurite);

        var deleted = await table.DeleteEntityAsync("p", "missing");

        Assert.Equal(404, deleted.Status);
    }
}
