using Azure;
using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using FastTrack.DevHost.Tests.Infrastructure;
using Xunit;

namespace FastTrack.DevHost.Tests.Hosting;

/// <summary>
/// <see cref="BlobMove.MoveToAsync"/>, the rejected drop's way out of the inbox: a server-side copy within the account,
/// then a delete, each conditioned so that a move that loses a race moves nothing it should not. On an Azurite that
/// takes the account key (the app locally) and tokens (the managed identity in Azure).
/// </summary>
public sealed class BlobMoveTests(OAuthAzuriteFixture azurite) : IClassFixture<OAuthAzuriteFixture>
{
    private static readonly Dictionary<string, string> Reason = new() { ["reason"] = "rejected" };

    [Theory]
    [InlineData("account key")]
    [InlineData("token")]
    public async Task A_blob_moves_within_the_account_with_a_token_as_with_the_account_key(string credential)
    {
        var blobs = credential == "token" ? azurite.WithToken() : azurite.WithAccountKey();
        var (source, destination) = await ContainersAsync(blobs);
        var blob = await UploadAsync(source, "a/b/signed sow.pdf", "the document", new Dictionary<string, string> { ["templateid"] = "SOW-2023" });
        var version = (await blob.GetPropertiesAsync()).Value;

        var moved = await blob.MoveToAsync(version.ETag, new Dictionary<string, string>(version.Metadata) { ["reason"] = "rejected" }, destination, CancellationToken.None);

        Assert.False((await blob.ExistsAsync()).Value);
        var copy = (await moved.DownloadContentAsync()).Value;
        Assert.Equal((destination.Name, "a/b/signed sow.pdf", "the document"), (moved.BlobContainerName, moved.Name, copy.Content.ToString()));
        Assert.Equal(new Dictionary<string, string> { ["templateid"] = "SOW-2023", ["reason"] = "rejected" }, copy.Details.Metadata);
    }

    [Fact]
    public async Task A_move_to_a_name_taken_in_the_destination_fails_with_409_and_moves_nothing()
    {
        var (source, destination) = await ContainersAsync(azurite.WithAccountKey());
        var blob = await UploadAsync(source, "taken.pdf", "the new one");
        await UploadAsync(destination, "taken.pdf", "the one there before");
        var version = (await blob.GetPropertiesAsync()).Value.ETag;

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => blob.MoveToAsync(version, Reason, destination, CancellationToken.None));

        Assert.Equal((409, "BlobAlreadyExists"), (failure.Status, failure.ErrorCode));
        Assert.Equal("the new one", await TextAsync(blob));
        Assert.Equal("the one there before", await TextAsync(destination.GetBlobClient("taken.pdf")));
    }

    [Fact]
    public async Task A_move_of_a_version_since_written_over_fails_with_412_and_moves_nothing()
    {
        var (source, destination) = await ContainersAsync(azurite.WithAccountKey());
        var blob = await UploadAsync(source, "changed.pdf", "the version judged");
        var judged = (await blob.GetPropertiesAsync()).Value.ETag;
        await UploadAsync(source, "changed.pdf", "written over since");

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => blob.MoveToAsync(judged, Reason, destination, CancellationToken.None));

        Assert.Equal(412, failure.Status);
        Assert.Equal("written over since", await TextAsync(blob));
        Assert.False((await destination.GetBlobClient("changed.pdf").ExistsAsync()).Value);
    }

    [Fact]
    public async Task A_source_written_over_between_the_copy_and_the_delete_is_kept_next_to_the_copy()
    {
        var (source, destination) = await ContainersAsync(azurite.WithAccountKey());
        var writtenOver = new BeforeFirstRequest(
            BeforeFirstRequest.To(RequestMethod.Delete, "/late.pdf"),
            () => UploadAsync(source, "late.pdf", "written over after the copy"));
        var blob = azurite.WithAccountKey(writtenOver).GetBlobContainerClient(source.Name).GetBlobClient("late.pdf");
        await UploadAsync(source, "late.pdf", "the version judged");
        var version = (await blob.GetPropertiesAsync()).Value.ETag;

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => blob.MoveToAsync(version, Reason, destination, CancellationToken.None));

        Assert.Equal(412, failure.Status);
        Assert.Equal("written over after the copy", await TextAsync(blob));
        Assert.Equal("the version judged", await TextAsync(destination.GetBlobClient("late.pdf")));
    }

    private static async Task<(BlobContainerClient Source, BlobContainerClient Destination)> ContainersAsync(BlobServiceClient blobs)
    {
        var source = blobs.GetBlobContainerClient("inbox-" + Guid.NewGuid().ToString("N")[..12]);
        var destination = blobs.GetBlobContainerClient("rejected-" + Guid.NewGuid().ToString("N")[..12]);
        await source.CreateAsync();
        await destination.CreateAsync();
        return (source, destination);
    }

    private static async Task<BlobClient> UploadAsync(
        BlobContainerClient container, string name, string content, Dictionary<string, string>? metadata = null)
    {
        var blob = container.GetBlobClient(name);
        await blob.UploadAsync(BinaryData.FromString(content), new BlobUploadOptions { Metadata = metadata });
        return blob;
    }

    private static async Task<string> TextAsync(BlobClient blob) => (await blob.DownloadContentAsync()).Value.Content.ToString();
}
