using Azure;
using Azure.Core;
using FastTrack.Storage.Blobs;
using FastTrack.Storage.Core;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.Storage.Tests.Blobs;

[Collection(AzuriteGroup.Name)]
public sealed class BlobClientTests(AzuriteFixture azurite)
{
    private const int SmallBlock = 64 * 1024;

    private static readonly Dictionary<string, string> Metadata = new() { ["templateid"] = "sow-v3", ["usersdeployed"] = "250" };

    [Fact]
    public async Task An_upload_keeps_its_content_type_and_metadata_through_download_and_properties()
    {
        var blob = (await NewContainerAsync()).GetBlobClient("drop/SOW signed é.pdf");
        var content = RandomBytes(10_000);

        var uploaded = (await blob.UploadAsync(
            BinaryData.FromBytes(content),
            new BlobUploadOptions { ContentType = "application/pdf", Metadata = Metadata })).Value;
        using var download = (await blob.DownloadStreamingAsync()).Value;
        var properties = (await blob.GetPropertiesAsync()).Value;

        Assert.Equal(content, await ReadAllAsync(download.Content));
        foreach (var details in new[] { download.Details, properties })
        {
            Assert.Equal("application/pdf", details.ContentType);
            Assert.Equal(content.Length, details.ContentLength);
            Assert.Equal(uploaded.ETag, details.ETag);
            Assert.Equal(uploaded.LastModified, details.LastModified);
            Assert.Equal(Metadata, details.Metadata.ToDictionary());
            Assert.Equal(BlobLeaseState.Available, details.LeaseState);
        }
    }

    [Fact]
    public async Task A_forward_only_stream_longer_than_a_block_is_sent_as_blocks_and_committed_with_its_properties()
    {
        var recorder = new RequestRecorder();
        var options = new StorageClientOptions();
        options.AddPolicy(recorder, HttpPipelinePosition.PerCall);
        var container = new BlobContainerClient(azurite.ConnectionString.ToString(), NewName(), options);
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient("large.pdf");
        var content = RandomBytes((3 * SmallBlock) + 123);
        using var stream = new ForwardOnlyStream(content);

        await blob.UploadAsync(stream, new BlobUploadOptions
        {
            ContentType = "application/pdf", Metadata = Metadata, BlockSize = SmallBlock,
        });
        using var download = (await blob.DownloadStreamingAsync()).Value;

        Assert.Equal(content, await ReadAllAsync(download.Content));
        Assert.Equal("application/pdf", download.Details.ContentType);
        Assert.Equal(Metadata, download.Details.Metadata.ToDictionary());
        Assert.True(stream.LargestRead <= SmallBlock);
        Assert.Equal(
            ["Put Block", "Put Block", "Put Block", "Put Block", "Put Block List", "Get Blob"],
            recorder.Operations.Skip(1));
    }

    [Fact]
    public async Task Content_that_fits_in_one_block_goes_in_one_put_blob()
    {
        var recorder = new RequestRecorder();
        var options = new StorageClientOptions();
        options.AddPolicy(recorder, HttpPipelinePosition.PerCall);
        var container = new BlobContainerClient(azurite.ConnectionString.ToString(), NewName(), options);
        await container.CreateIfNotExistsAsync();
        var content = RandomBytes(SmallBlock);

        await container.GetBlobClient("small").UploadAsync(
            new ForwardOnlyStream(content[..^1]), new BlobUploadOptions { BlockSize = SmallBlock });
        await container.GetBlobClient("exactly-one-block").UploadAsync(
            new ForwardOnlyStream(content), new BlobUploadOptions { BlockSize = SmallBlock });

        Assert.Equal(["Put Blob", "Put Block", "Put Block List"], recorder.Operations.Skip(1));
    }

    [Fact]
    public async Task An_empty_stream_uploads_an_empty_blob()
    {
        var blob = (await NewContainerAsync()).GetBlobClient("empty");

        await blob.UploadAsync(new ForwardOnlyStream([]));

        Assert.Equal(0, (await blob.GetPropertiesAsync()).Value.ContentLength);
    }

    [Fact]
    public async Task A_download_streams_from_the_network_instead_of_buffering()
    {
        var blob = (await NewContainerAsync()).GetBlobClient("streamed");
        var content = RandomBytes(2 * 1024 * 1024);
        await blob.UploadAsync(BinaryData.FromBytes(content));

        using var download = (await blob.DownloadStreamingAsync()).Value;

        Assert.IsNotType<MemoryStream>(download.Content);
        Assert.False(download.Content.CanSeek);
        Assert.Equal(content, await ReadAllAsync(download.Content));
    }

    [Theory]
    [InlineData(100)]
    [InlineData((2 * SmallBlock) + 1)]
    public async Task A_create_only_upload_over_an_existing_blob_fails_with_409_BlobAlreadyExists(int size)
    {
        var blob = (await NewContainerAsync()).GetBlobClient("once.pdf");
        var createOnly = new BlobUploadOptions
        {
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, BlockSize = SmallBlock,
        };
        var first = RandomBytes(size);
        await blob.UploadAsync(new ForwardOnlyStream(first), createOnly);

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() =>
            blob.UploadAsync(new ForwardOnlyStream(RandomBytes(size)), createOnly));

        Assert.Equal(409, failure.Status);
        Assert.Equal("BlobAlreadyExists", failure.ErrorCode);
        using var download = (await blob.DownloadStreamingAsync()).Value;
        Assert.Equal(first, await ReadAllAsync(download.Content));
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_fails_with_412_ConditionNotMet()
    {
        var blob = (await NewContainerAsync()).GetBlobClient("versioned");
        var v1 = (await blob.UploadAsync(BinaryData.FromString("v1"))).Value;
        var v2 = (await blob.UploadAsync(
            BinaryData.FromString("v2"), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = v1.ETag } })).Value;
        var stale = new BlobRequestConditions { IfMatch = v1.ETag };

        var upload = await Assert.ThrowsAsync<RequestFailedException>(() =>
            blob.UploadAsync(BinaryData.FromString("v3"), new BlobUploadOptions { Conditions = stale }));
        var metadata = await Assert.ThrowsAsync<RequestFailedException>(() => blob.SetMetadataAsync(Metadata, stale));
        var delete = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DeleteAsync(stale));

        Assert.NotEqual(v1.ETag, v2.ETag);
        Assert.All([upload, metadata, delete], f => Assert.Equal((412, "ConditionNotMet"), (f.Status, f.ErrorCode)));
    }

    [Fact]
    public async Task A_missing_blob_fails_with_404_BlobNotFound_on_download_properties_and_delete()
    {
        var blob = (await NewContainerAsync()).GetBlobClient("missing");

        var failures = new[]
        {
            await Assert.ThrowsAsync<RequestFailedException>(() => blob.DownloadStreamingAsync()),
            await Assert.ThrowsAsync<RequestFailedException>(() => blob.GetPropertiesAsync()),
            await Assert.ThrowsAsync<RequestFailedException>(() => blob.DeleteAsync()),
            await Assert.ThrowsAsync<RequestFailedException>(() => blob.SetMetadataAsync(Metadata)),
        };

        Assert.All(failures, f => Assert.Equal((404, "BlobNotFound"), (f.Status, f.ErrorCode)));
    }

    [Fact]
    public async Task Exists_and_delete_if_exists_report_the_blob_presence()
    {
        var blob = (await NewContainerAsync()).GetBlobClient("present");
        await blob.UploadAsync(BinaryData.FromString("x"));

        Assert.True((await blob.ExistsAsync()).Value);
        Assert.True((await blob.DeleteIfExistsAsync()).Value);
        Assert.False((await blob.ExistsAsync()).Value);
        Assert.False((await blob.DeleteIfExistsAsync()).Value);
    }

    [Fact]
    public async Task Setting_metadata_replaces_all_of_it_and_changes_the_etag()
    {
        var blob = (await NewContainerAsync()).GetBlobClient("meta");
        var uploaded = (await blob.UploadAsync(BinaryData.FromString("x"), new BlobUploadOptions { Metadata = Metadata })).Value;

        var set = (await blob.SetMetadataAsync(
            new Dictionary<string, string> { ["status"] = "processed" },
            new BlobRequestConditions { IfMatch = uploaded.ETag })).Value;
        var properties = (await blob.GetPropertiesAsync()).Value;

        Assert.NotEqual(uploaded.ETag, set.ETag);
        Assert.Equal(set.ETag, properties.ETag);
        Assert.Equal(new Dictionary<string, string> { ["status"] = "processed" }, properties.Metadata.ToDictionary());
    }

    [Theory]
    [InlineData("template-id", "x")]
    [InlineData("1st", "x")]
    [InlineData("", "x")]
    [InlineData("note", "naïve")]
    [InlineData("note", "line\nbreak")]
    public async Task Metadata_the_service_or_http_cannot_carry_is_refused_before_reading_the_content(string name, string value)
    {
        var blob = (await NewContainerAsync()).GetBlobClient("bad-meta");
        var metadata = new Dictionary<string, string> { [name] = value };
        using var content = new ForwardOnlyStream([1, 2, 3]);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            blob.UploadAsync(content, new BlobUploadOptions { Metadata = metadata }));
        await Assert.ThrowsAsync<ArgumentException>(() => blob.SetMetadataAsync(metadata));

        Assert.Equal(0, content.LargestRead);
    }

    [Fact]
    public async Task Copying_between_containers_keeps_content_type_and_metadata_unless_told_otherwise()
    {
        var source = (await NewContainerAsync()).GetBlobClient("inbox/doc.pdf");
        var target = await NewContainerAsync();
        await source.UploadAsync(
            BinaryData.FromString("pdf"), new BlobUploadOptions { ContentType = "application/pdf", Metadata = Metadata });

        await target.GetBlobClient("copy.pdf").CopyFromAsync(source);
        await target.GetBlobClient("renamed.pdf").CopyFromAsync(
            source, new BlobCopyOptions { Metadata = new Dictionary<string, string> { ["only"] = "this" } });
        var copy = (await target.GetBlobClient("copy.pdf").GetPropertiesAsync()).Value;
        var renamed = (await target.GetBlobClient("renamed.pdf").GetPropertiesAsync()).Value;

        Assert.Equal("application/pdf", copy.ContentType);
        Assert.Equal(Metadata, copy.Metadata.ToDictionary());
        Assert.Equal(new Dictionary<string, string> { ["only"] = "this" }, renamed.Metadata.ToDictionary());
        Assert.True((await source.ExistsAsync()).Value);
    }

    [Fact]
    public async Task Copying_a_missing_source_fails_with_404()
    {
        var source = (await NewContainerAsync()).GetBlobClient("nothing");
        var target = (await NewContainerAsync()).GetBlobClient("nothing");

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => target.CopyFromAsync(source));

        Assert.Equal(404, failure.Status);
    }

    [Fact]
    public async Task Moving_copies_with_extra_metadata_then_deletes_the_source()
    {
        var inbox = await NewContainerAsync();
        var processed = await NewContainerAsync();
        var source = inbox.GetBlobClient("drop/poe.pdf");
        await source.UploadAsync(
            BinaryData.FromString("signed"), new BlobUploadOptions { ContentType = "application/pdf", Metadata = Metadata });

        var moved = (await source.MoveToAsync(processed, new Dictionary<string, string> { ["referralid"] = "r-9" })).Value;
        using var download = (await moved.DownloadStreamingAsync()).Value;

        Assert.Equal(processed.Name, moved.ContainerName);
        Assert.Equal("drop/poe.pdf", moved.Name);
        Assert.Equal("signed", BinaryData.FromBytes(await ReadAllAsync(download.Content)).ToString());
        Assert.Equal("application/pdf", download.Details.ContentType);
        Assert.Equal(
            new Dictionary<string, string>(Metadata) { ["referralid"] = "r-9" }, download.Details.Metadata.ToDictionary());
        Assert.False((await source.ExistsAsync()).Value);
    }

    [Fact]
    public async Task Moving_onto_an_existing_blob_fails_with_409_and_keeps_both()
    {
        var inbox = await NewContainerAsync();
        var processed = await NewContainerAsync();
        var source = inbox.GetBlobClient("doc.pdf");
        await source.UploadAsync(BinaryData.FromString("new"));
        await processed.GetBlobClient("doc.pdf").UploadAsync(BinaryData.FromString("old"));

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => source.MoveToAsync(processed));

        Assert.Equal((409, "BlobAlreadyExists"), (failure.Status, failure.ErrorCode));
        Assert.True((await source.ExistsAsync()).Value);
        using var download = (await processed.GetBlobClient("doc.pdf").DownloadStreamingAsync()).Value;
        Assert.Equal("old", BinaryData.FromBytes(await ReadAllAsync(download.Content)).ToString());
    }

    private async Task<BlobContainerClient> NewContainerAsync()
    {
        var container = new BlobContainerClient(azurite.ConnectionString.ToString(), NewName());
        await container.CreateIfNotExistsAsync();
        return container;
    }

    private static string NewName() => "c" + Guid.NewGuid().ToString("N");

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
