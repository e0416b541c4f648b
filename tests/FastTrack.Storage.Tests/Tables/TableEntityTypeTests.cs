using FastTrack.Storage.Tables;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.Storage.Tests.Tables;

[Collection(AzuriteGroup.Name)]
public sealed class TableEntityTypeTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Moment = new(2026, 11, 21, 13, 45, 7, TimeSpan.FromHours(2));

    [Fact]
    public async Task Every_supported_type_round_trips_with_its_type()
    {
        var table = await TestTables.CreateAsync(azurite);
        var id = Guid.NewGuid();
        var entity = new TableEntity("p", "r")
        {
            ["Text"] = "it's \"quoted\" ünïcode",
            ["Flag"] = true,
            ["Int"] = int.MinValue,
            ["Long"] = long.MaxValue,
            ["SmallLong"] = 5L,
            ["Fraction"] = 0.1 + 0.2,
            ["WholeDouble"] = 5.0,
            ["Huge"] = 1e300,
            ["Time"] = Moment.AddTicks(1234567),
            ["Id"] = id,
            ["Bytes"] = new byte[] { 0, 1, 254, 255 },
        };

        await table.AddEntityAsync(entity);
        var read = (await table.GetEntityAsync("p", "r")).Value;

        Assert.Equal("it's \"quoted\" ünïcode", read.GetString("Text"));
        Assert.True(read.GetBoolean("Flag"));
        Assert.Equal(int.MinValue, read.GetInt32("Int"));
        Assert.Equal(long.MaxValue, read.GetInt64("Long"));
        Assert.IsType<long>(read["SmallLong"]);
        Assert.Equal(5L, read.GetInt64("SmallLong"));
        Assert.Equal(0.1 + 0.2, read.GetDouble("Fraction"));
        Assert.Equal(5.0, read.GetDouble("WholeDouble"));
        Assert.Equal(1e300, read.GetDouble("Huge"));
        Assert.Equal(Moment.AddTicks(1234567), read.GetDateTimeOffset("Time"));
        Assert.Equal(TimeSpan.Zero, read.GetDateTimeOffset("Time")!.Value.Offset);
        Assert.Equal(id, read.GetGuid("Id"));
        Assert.Equal(new byte[] { 0, 1, 254, 255 }, read.GetBinary("Bytes"));
    }

    [Fact]
    public async Task Types_survive_a_query_as_they_survive_a_get()
    {
        var table = await TestTables.CreateAsync(azurite);
        var id = Guid.NewGuid();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["Long"] = 7L, ["Time"] = Moment, ["Id"] = id });

        var read = Assert.Single(await TestTables.AllAsync(table));

        Assert.Equal(7L, Assert.IsType<long>(read["Long"]));
        Assert.Equal(Moment, read.GetDateTimeOffset("Time"));
        Assert.Equal(id, read.GetGuid("Id"));
        Assert.NotEqual(default, read.ETag);
        Assert.NotNull(read.Timestamp);
    }

    [Fact]
    public void A_getter_of_the_wrong_type_says_what_the_property_holds()
    {
        var entity = new TableEntity("p", "r") { ["Count"] = "three" };

        var failure = Assert.Throws<InvalidOperationException>(() => entity.GetInt32("Count"));

        Assert.Contains("String", failure.Message);
        Assert.Null(entity.GetInt32("Absent"));
    }

    [Fact]
    public void A_type_the_service_cannot_store_is_refused_when_set()
    {
        var entity = new TableEntity("p", "r");

        Assert.Throws<ArgumentException>(() => entity["Price"] = 1.5m);
        Assert.Throws<ArgumentException>(() => entity["PartitionKey"] = "other");
    }
}
