using Azure;
using FastTrack.Storage.Blobs;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.Storage.Tests.Blobs;

[Collection(AzuriteGroup.Name)]
public sealed class BlobContainerClientTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Creating_a_container_twice_is_idempotent()
    {
        var container = Client();

        var first = await container.CreateIfNotExistsAsync();
        var second = await container.CreateIfNotExistsAsync();

        Assert.Equal(201, first?.Status);
        Assert.Null(second);
    }

    [Fact]
    public async Task Deleting_a_container_reports_whether_it_existed()
    {
        var container = Client();
        await container.CreateIfNotExistsAsync();

        Assert.True((await container.DeleteIfExistsAsync()).Value);
        Assert.False((await container.DeleteIfExistsAsync()).Value);
    }

    [Fact]
    public async Task Listing_a_missing_container_fails_with_404_ContainerNotFound()
    {
        var failure = await Assert.ThrowsAsync<RequestFailedException>(async () =>
        {
            await foreach (var _ in Client().GetBlobsAsync())
            {
            }
        });

        Assert.Equal(404, failure.Status);
        Assert.Equal("ContainerNotFound", failure.ErrorCode);
    }

    [Fact]
    public async Task Listing_by_prefix_follows_the_marker_across_small_pages_and_includes_metadata()
    {
        var container = Client();
        await container.CreateIfNotExistsAsync();
        var names = Enumerable.Range(0, 7).Select(i => $"drop/sow {i} é.pdf").ToList();
        foreach (var name in names.Append("other/a.pdf").Append("drop-not/b.pdf"))
        {
            await container.GetBlobClient(name).UploadAsync(
                BinaryData.FromString(name),
                new BlobUploadOptions
                {
                    ContentType = "application/pdf",
                    Metadata = new Dictionary<string, string> { ["templateid"] = "t-1", ["usersdeployed"] = "12" },
                });
        }

        var pages = new List<Page<BlobItem>>();
        await foreach (var page in container.GetBlobsAsync(prefix: "drop/", pageSizeHint: 3).AsPages())
        {
            pages.Add(page);
        }

        var items = pages.SelectMany(p => p.Values).ToList();
        Assert.Equal([3, 3, 1], pages.Select(p => p.Values.Count));
        Assert.Null(pages[^1].ContinuationToken);
        Assert.Equal(names, items.Select(i => i.Name));
        Assert.All(items, item =>
        {
            Assert.Equal("application/pdf", item.Properties.ContentType);
            Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(item.Name), item.Properties.ContentLength);
            Assert.NotEqual(default, item.Properties.ETag);
            Assert.Equal("t-1", item.Properties.Metadata["templateid"]);
            Assert.Equal("12", item.Properties.Metadata["usersdeployed"]);
            Assert.Equal(BlobLeaseState.Available, item.Properties.LeaseState);
        });
    }

    [Fact]
    public async Task Listing_items_across_pages_yields_every_blob_once()
    {
        var container = Client();
        await container.CreateIfNotExistsAsync();
        foreach (var i in Enumerable.Range(0, 5))
        {
            await container.GetBlobClient($"b{i}").UploadAsync(BinaryData.FromString("x"));
        }

        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync(pageSizeHint: 2))
        {
            names.Add(item.Name);
        }

        Assert.Equal(["b0", "b1", "b2", "b3", "b4"], names);
    }

    private BlobContainerClient Client() =>
        new(azurite.ConnectionString.ToString(), "c" + Guid.NewGuid().ToString("N"));
}
