using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using FastTrack.Domain.Vouchers;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using FastTrack.Core.Vouchers;
using FastTrack.Testing;
using Microsoft.Extensions.Options;
using Xunit;

namespace FastTrack.DevHost.Tests.Vouchers;

/// <summary>
/// The vouchers' conditional writes and streamed documents on a real Azurite: a voucher is created once per TPID and
/// changed only from the version it was read at, and a signed document is written once or not at all.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class VoucherStorageTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private readonly StorageResources _storage = new(StorageAccount.FromConnectionString(azurite.ConnectionString));

    [Fact]
    public async Task Creating_a_voucher_for_a_TPID_that_has_one_returns_false_and_keeps_the_first()
    {
        var store = new VoucherStore(_storage);
        var first = Issued(partnerId: "partner-first");
        Assert.True(await store.CreateAsync(first, [], CancellationToken.None));

        Assert.False(await store.CreateAsync(first with { PartnerId = "partner-second" }, [], CancellationToken.None));

        Assert.Equal("partner-first", (await store.LoadAsync(first.Id, CancellationToken.None))!.Voucher.PartnerId);
    }

    [Fact]
    public async Task A_voucher_commit_on_a_voucher_changed_since_it_was_loaded_returns_false_and_writes_nothing()
    {
        var store = new VoucherStore(_storage);
        var voucher = Issued();
        await store.CreateAsync(voucher, [], CancellationToken.None);
        var winner = (await store.LoadAsync(voucher.Id, CancellationToken.None))!;
        var loser = (await store.LoadAsync(voucher.Id, CancellationToken.None))!;
        Assert.True(await store.CommitAsync(winner, winner.Voucher with { MaxUsers = 111 }, [], CancellationToken.None));

        Assert.False(await store.CommitAsync(loser, loser.Voucher with { MaxUsers = 222 }, [], CancellationToken.None));

        Assert.Equal(111, (await store.LoadAsync(voucher.Id, CancellationToken.None))!.Voucher.MaxUsers);
    }

    [Fact]
    public async Task A_redemptions_document_is_never_written_over()
    {
        var documents = Documents(maxBytes: 64 * 1024);
        var (voucherId, redemptionId) = ("CSO-" + Guid.NewGuid().ToString("N")[..16], RedemptionIntake.NewRedemptionId());
        var first = RedemptionTestKit.Pdf("the first");
        Assert.NotNull((await documents.StageAsync(voucherId, redemptionId, "first.pdf", new MemoryStream(first), CancellationToken.None)).Document);

        var again = await Assert.ThrowsAsync<RequestFailedException>(() =>
            documents.StageAsync(voucherId, redemptionId, "again.pdf", new MemoryStream(RedemptionTestKit.Pdf("again")), CancellationToken.None));

        Assert.Equal((409, "BlobAlreadyExists"), (again.Status, again.ErrorCode));
        var stored = (await Blob(voucherId, redemptionId).DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(first, stored);
    }

    [Fact]
    public async Task A_document_refused_after_some_of_its_blocks_were_sent_leaves_nothing_at_its_name()
    {
        // Over three 4 MiB blocks long and refused in the third: two blocks have gone up when the read throws.
        var documents = Documents(maxBytes: 9 * 1024 * 1024);
        var (voucherId, redemptionId) = ("CSO-" + Guid.NewGuid().ToString("N")[..16], RedemptionIntake.NewRedemptionId());
        var tooLarge = new byte[10 * 1024 * 1024];
        RedemptionTestKit.Pdf("large").CopyTo(tooLarge, 0);

        var staged = await documents.StageAsync(voucherId, redemptionId, "large.pdf", new MemoryStream(tooLarge), CancellationToken.None);

        Assert.Equal(DocumentStore.TooLargeCode, staged.Problem?.Code);
        Assert.False((await Blob(voucherId, redemptionId).ExistsAsync()).Value);
        var sent = new BlockBlobClient(azurite.ConnectionString, DocumentStore.ContainerName, DocumentStore.BlobName(voucherId, redemptionId));
        Assert.Equal(2, (await sent.GetBlockListAsync(BlockListTypes.Uncommitted)).Value.UncommittedBlocks.Count());
    }

    [Fact]
    public async Task A_stored_document_reads_back_with_the_SDKs_own_client_as_it_was_sent()
    {
        var documents = Documents(maxBytes: 64 * 1024);
        var (voucherId, redemptionId) = ("CSO-" + Guid.NewGuid().ToString("N")[..16], RedemptionIntake.NewRedemptionId());
        var document = RedemptionTestKit.Pdf("read back");

        var staged = (await documents.StageAsync(voucherId, redemptionId, "sow.pdf", new MemoryStream(document), CancellationToken.None)).Document!;

        var stored = (await Blob(voucherId, redemptionId).DownloadContentAsync()).Value;
        Assert.Equal("application/pdf", stored.Details.ContentType);
        Assert.Equal(staged.Sha256, Convert.ToHexStringLower(SHA256.HashData(stored.Content.ToArray())));
    }

    private DocumentStore Documents(long maxBytes) => new(_storage, Options.Create(new VoucherSettings { MaxDocumentBytes = maxBytes }));

    private BlobClient Blob(string voucherId, string redemptionId) =>
        new BlobContainerClient(azurite.ConnectionString, DocumentStore.ContainerName).GetBlobClient(DocumentStore.BlobName(voucherId, redemptionId));

    private static Voucher Issued(string partnerId = "partner-1")
    {
        var tpid = "tpid-" + Guid.NewGuid().ToString("N");
        return new Voucher(
            VoucherStore.IdFor(tpid), "referral-" + tpid, tpid, "tenant-" + tpid, partnerId, 1, Voucher.CapFor(1), 100, At,
            DateOnly.FromDateTime(At.UtcDateTime).AddDays(180), VoucherStatus.Issued, []);
    }
}
