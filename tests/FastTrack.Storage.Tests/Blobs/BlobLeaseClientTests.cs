using Azure;
using FastTrack.Storage.Blobs;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.Storage.Tests.Blobs;

[Collection(AzuriteGroup.Name)]
public sealed class BlobLeaseClientTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_leased_blob_refuses_writes_and_deletes_without_the_lease_id_with_412_LeaseIdMissing()
    {
        var blob = await NewBlobAsync();
        await blob.GetBlobLeaseClient().AcquireAsync(Duration);

        var failures = new[]
        {
            await Assert.ThrowsAsync<RequestFailedException>(() => blob.UploadAsync(BinaryData.FromString("x"))),
            await Assert.ThrowsAsync<RequestFailedException>(() => blob.SetMetadataAsync(new Dictionary<string, string>())),
            await Assert.ThrowsAsync<RequestFailedException>(() => blob.DeleteAsync()),
        };

        Assert.All(failures, f => Assert.Equal((412, "LeaseIdMissing"), (f.Status, f.ErrorCode)));
        Assert.Equal(BlobLeaseState.Leased, (await blob.GetPropertiesAsync()).Value.LeaseState);
    }

    [Fact]
    public async Task The_lease_holder_writes_and_deletes_with_its_lease_id()
    {
        var blob = await NewBlobAsync();
        var lease = blob.GetBlobLeaseClient();
        var acquired = (await lease.AcquireAsync(Duration)).Value;
        var withLease = new BlobRequestConditions { LeaseId = lease.LeaseId };

        await blob.UploadAsync(
            new ForwardOnlyStream(new byte[100_000]), new BlobUploadOptions { Conditions = withLease, BlockSize = 40_000 });
        await blob.SetMetadataAsync(new Dictionary<string, string> { ["locked"] = "yes" }, withLease);
        await blob.DeleteAsync(withLease);

        Assert.Equal(lease.LeaseId, acquired.LeaseId);
        Assert.False((await blob.ExistsAsync()).Value);
    }

    [Fact]
    public async Task Writing_with_another_lease_id_fails_with_412_LeaseIdMismatchWithBlobOperation()
    {
        var blob = await NewBlobAsync();
        await blob.GetBlobLeaseClient().AcquireAsync(Duration);

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DeleteAsync(
            new BlobRequestConditions { LeaseId = Guid.NewGuid().ToString() }));

        Assert.Equal((412, "LeaseIdMismatchWithBlobOperation"), (failure.Status, failure.ErrorCode));
    }

    [Fact]
    public async Task A_second_holder_cannot_acquire_an_active_lease_409_LeaseAlreadyPresent()
    {
        var blob = await NewBlobAsync();
        await blob.GetBlobLeaseClient().AcquireAsync(Timeout.InfiniteTimeSpan);

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() =>
            blob.GetBlobLeaseClient().AcquireAsync(Duration));

        Assert.Equal((409, "LeaseAlreadyPresent"), (failure.Status, failure.ErrorCode));
    }

    [Fact]
    public async Task Renewing_and_releasing_need_the_holders_id_and_a_released_blob_is_writable_again()
    {
        var blob = await NewBlobAsync();
        var lease = blob.GetBlobLeaseClient();
        await lease.AcquireAsync(Duration);
        var stranger = blob.GetBlobLeaseClient();

        var renewed = (await lease.RenewAsync()).Value;
        var strangerRelease = await Assert.ThrowsAsync<RequestFailedException>(() => stranger.ReleaseAsync());
        await lease.ReleaseAsync();
        await blob.UploadAsync(BinaryData.FromString("free"));

        Assert.Equal(lease.LeaseId, renewed.LeaseId);
        Assert.Equal((409, "LeaseIdMismatchWithLeaseOperation"), (strangerRelease.Status, strangerRelease.ErrorCode));
        Assert.Equal(BlobLeaseState.Available, (await blob.GetPropertiesAsync()).Value.LeaseState);
    }

    [Fact]
    public async Task Breaking_ends_anyones_lease_and_the_old_holder_cannot_renew()
    {
        var blob = await NewBlobAsync();
        var lease = blob.GetBlobLeaseClient();
        await lease.AcquireAsync(Timeout.InfiniteTimeSpan);

        var broken = (await blob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero)).Value;
        var renew = await Assert.ThrowsAsync<RequestFailedException>(() => lease.RenewAsync());
        await blob.DeleteAsync();

        Assert.Equal(0, broken.LeaseTime);
        Assert.Equal(409, renew.Status);
    }

    [Fact]
    public async Task Leasing_a_missing_blob_fails_with_404_BlobNotFound()
    {
        var container = new BlobContainerClient(azurite.ConnectionString.ToString(), "c" + Guid.NewGuid().ToString("N"));
        await container.CreateIfNotExistsAsync();

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() =>
            container.GetBlobClient("missing").GetBlobLeaseClient().AcquireAsync(Duration));

        Assert.Equal((404, "BlobNotFound"), (failure.Status, failure.ErrorCode));
    }

    [Theory]
    [InlineData(14)]
    [InlineData(61)]
    [InlineData(0)]
    public async Task A_lease_duration_outside_15_to_60_seconds_is_refused(int seconds)
    {
        var blob = await NewBlobAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            blob.GetBlobLeaseClient().AcquireAsync(TimeSpan.FromSeconds(seconds)));
    }

    private async Task<BlobClient> NewBlobAsync()
    {
        var container = new BlobContainerClient(azurite.ConnectionString.ToString(), "c" + Guid.NewGuid().ToString("N"));
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient("leased.pdf");
        await blob.UploadAsync(BinaryData.FromString("content"));
        return blob;
    }
}
