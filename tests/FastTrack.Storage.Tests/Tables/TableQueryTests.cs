using FastTrack.Storage.Tables;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.Storage.Tests.Tables;

[Collection(AzuriteGroup.Name)]
public sealed class TableQueryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Paging_past_1000_rows_reads_every_row_once_through_the_pageable()
    {
        var table = await TestTables.CreateAsync(azurite);
        await InsertRowsAsync(table, "p", 1203);

        var pages = new List<int>();
        var rowKeys = new List<string>();
        await foreach (var page in table.QueryAsync().AsPages())
        {
            pages.Add(page.Values.Count);
            rowKeys.AddRange(page.Values.Select(e => e.RowKey));
        }

        Assert.Equal(1203, rowKeys.Count);
        Assert.Equal(1203, rowKeys.Distinct(StringComparer.Ordinal).Count());
        Assert.True(pages.Count >= 2, $"Expected a continuation past the first 1,000 rows; pages: {string.Join(',', pages)}.");
        Assert.All(pages, size => Assert.InRange(size, 0, 1000));
        Assert.Equal(1203, (await TestTables.AllAsync(table)).Count);
    }

    [Fact]
    public async Task Max_per_page_gives_pages_of_that_size_and_a_token_resumes_where_a_page_ended()
    {
        var table = await TestTables.CreateAsync(azurite);
        await InsertRowsAsync(table, "p", 25);

        var sizes = new List<int>();
        string? afterFirstPage = null;
        await foreach (var page in table.QueryAsync(maxPerPage: 10).AsPages())
        {
            sizes.Add(page.Values.Count);
            afterFirstPage ??= page.ContinuationToken;
        }

        var resumed = new List<string>();
        await foreach (var page in table.QueryAsync(maxPerPage: 10).AsPages(afterFirstPage))
        {
            resumed.AddRange(page.Values.Select(e => e.RowKey));
        }

        Assert.Equal([10, 10, 5], sizes);
        Assert.Equal(15, resumed.Count);
        Assert.Equal(RowKey(10), resumed[0]);
    }

    [Fact]
    public async Task A_filter_built_from_a_value_with_a_quote_matches_exactly_that_value()
    {
        var table = await TestTables.CreateAsync(azurite);
        await table.AddEntityAsync(new TableEntity("p", "1") { ["Name"] = "O'Brien" });
        await table.AddEntityAsync(new TableEntity("p", "2") { ["Name"] = "O" });
        var name = "O'Brien";

        var found = await TestTables.AllAsync(table, TableClient.CreateQueryFilter($"Name eq {name}"));

        Assert.Equal("1", Assert.Single(found).RowKey);
    }

    [Fact]
    public async Task Filters_on_typed_values_compare_as_their_types()
    {
        var table = await TestTables.CreateAsync(azurite);
        var due = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        var id = Guid.NewGuid();
        await table.AddEntityAsync(new TableEntity("p", "early") { ["Due"] = due, ["Big"] = 5_000_000_000L, ["Open"] = true, ["Id"] = id, ["Ratio"] = 2.0 });
        await table.AddEntityAsync(new TableEntity("p", "late") { ["Due"] = due.AddDays(2), ["Big"] = 1L, ["Open"] = false, ["Id"] = Guid.NewGuid(), ["Ratio"] = 2.5 });
        var now = due.AddDays(1);

        var overdue = await TestTables.AllAsync(table, TableClient.CreateQueryFilter($"Due lt {now}"));
        var big = await TestTables.AllAsync(table, TableClient.CreateQueryFilter($"Big gt {4_000_000_000L}"));
        var open = await TestTables.AllAsync(table, TableClient.CreateQueryFilter($"Open eq {true} and Id eq {id}"));
        var whole = await TestTables.AllAsync(table, TableClient.CreateQueryFilter($"Ratio eq {2.0}"));

        Assert.Equal("early", Assert.Single(overdue).RowKey);
        Assert.Equal("early", Assert.Single(big).RowKey);
        Assert.Equal("early", Assert.Single(open).RowKey);
        Assert.Equal("early", Assert.Single(whole).RowKey);
    }

    [Fact]
    public async Task Query_with_select_returns_only_the_chosen_properties()
    {
        var table = await TestTables.CreateAsync(azurite);
        await table.AddEntityAsync(new TableEntity("p", "r") { ["A"] = "a", ["B"] = "b", ["C"] = 3L });

        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync(select: ["A", "C"]))
        {
            rows.Add(row);
        }

        var only = Assert.Single(rows);
        Assert.Equal(["A", "C"], only.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3L, only.GetInt64("C"));
    }

    [Fact]
    public async Task A_query_on_a_partition_returns_only_that_partition()
    {
        var table = await TestTables.CreateAsync(azurite);
        await InsertRowsAsync(table, "a", 3);
        await InsertRowsAsync(table, "b", 2);

        var rows = await TestTables.AllAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {"b"}"));

        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.Equal("b", row.PartitionKey));
    }

    [Fact]
    public void Query_filter_values_are_written_as_odata_literals()
    {
        var time = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1));
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

        var filter = TableClient.CreateQueryFilter(
            $"S eq {"it's"} and L eq {42L} and I eq {7} and B eq {false} and T ge {time} and G eq {id} and D eq {1.5} and W eq {5.0} and X eq {new byte[] { 0xAB, 0x01 }}");

        Assert.Equal(
            "S eq 'it''s' and L eq 42L and I eq 7 and B eq false and T ge datetime'2026-01-02T02:04:05.0000000Z' " +
            "and G eq guid'0f8fad5b-d9cb-469f-a165-70867728950e' and D eq 1.5 and W eq 5.0 and X eq X'AB01'",
            filter);
    }

    [Fact]
    public void A_query_filter_value_of_an_unsupported_type_is_refused()
    {
        Assert.Throws<ArgumentException>(() => TableClient.CreateQueryFilter($"P eq {1.5m}"));
    }

    private static string RowKey(int i) => i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task InsertRowsAsync(TableClient table, string partitionKey, int count)
    {
        foreach (var chunk in Enumerable.Range(0, count).Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk.Select(i => new TableTransactionAction(
                TableTransactionActionType.Add, new TableEntity(partitionKey, RowKey(i)) { ["I"] = i })));
        }
    }
}
