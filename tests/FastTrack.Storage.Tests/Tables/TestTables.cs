using FastTrack.Storage.Tables;
using FastTrack.Testing;

namespace FastTrack.Storage.Tests.Tables;

internal static class TestTables
{
    /// <summary>A new, empty table with a random name on the shared Azurite.</summary>
    public static async Task<TableClient> CreateAsync(AzuriteFixture azurite)
    {
        var table = new TableClient(azurite.ConnectionString.ToString(), "t" + Guid.NewGuid().ToString("N")[..16]);
        await table.CreateIfNotExistsAsync();
        return table;
    }

    public static async Task<List<TableEntity>> AllAsync(TableClient table, string? filter = null)
    {
        var all = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync(filter))
        {
            all.Add(entity);
        }

        return all;
    }
}
