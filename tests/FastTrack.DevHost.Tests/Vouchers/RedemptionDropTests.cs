using System.Security.Cryptography;
using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using FastTrack.DevHost.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FastTrack.DevHost.Tests.Vouchers;

/// <summary>The blob drop: documents written to <c>redemptions-inbox</c>, picked up by the app's own blob trigger loop.</summary>
public sealed class RedemptionDropTests
{
    [Fact]
    public async Task A_dropped_SOW_becomes_a_redemption_with_its_SHA256_and_leaves_the_inbox()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var voucher = await kit.IssueVoucherAsync();
        var document = RedemptionTestKit.Pdf("dropped SOW");

        await kit.DropAsync($"{voucher.Id}/sow/signed sow.pdf", document, RedemptionTestKit.SowMetadata());

        var redemption = (await Eventually.Returns(() => kit.RedemptionsAsync(voucher.Id), found => found.Count > 0)).Single();
        Assert.Equal("Sow", redemption.GetProperty("kind").GetString());
        Assert.Equal("Received", redemption.GetProperty("status").GetString());
        Assert.Equal("signed sow.pdf", redemption.GetProperty("document").GetProperty("name").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(document)), redemption.GetProperty("document").GetProperty("sha256").GetString());
        await Eventually.Returns(() => kit.BlobsAsync(RedemptionTestKit.InboxContainer), inbox => inbox.Count == 0);
        var stored = Assert.Single(await kit.BlobsAsync(RedemptionTestKit.SowContainer));
        Assert.Equal($"{voucher.Id}/{redemption.GetProperty("id").GetString()}.pdf", stored.Name);
        Assert.Empty(await kit.BlobsAsync(RedemptionTestKit.RejectedContainer));
    }

    [Fact]
    public async Task The_same_document_dropped_again_after_it_was_processed_is_the_same_redemption_stored_once()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var voucher = await kit.IssueVoucherAsync();
        var document = RedemptionTestKit.Pdf("dropped twice");
        await kit.DropAsync($"{voucher.Id}/sow/sow.pdf", document, RedemptionTestKit.SowMetadata());
        var first = (await Eventually.Returns(() => kit.RedemptionsAsync(voucher.Id), found => found.Count > 0)).Single();
        await Eventually.Returns(() => kit.BlobsAsync(RedemptionTestKit.InboxContainer), inbox => inbox.Count == 0);

        // As after a crash between the commit and the inbox delete: the document is in the inbox and already recorded.
        await kit.DropAsync($"{voucher.Id}/sow/sow.pdf", document, RedemptionTestKit.SowMetadata());
        await kit.DropAsync($"{voucher.Id}/sow/sow-again.pdf", document, RedemptionTestKit.SowMetadata());

        await Eventually.Returns(() => kit.BlobsAsync(RedemptionTestKit.InboxContainer), inbox => inbox.Count == 0);
        var redemption = Assert.Single(await kit.RedemptionsAsync(voucher.Id));
        Assert.Equal(first.GetProperty("id").GetString(), redemption.GetProperty("id").GetString());
        Assert.Single(await kit.BlobsAsync(RedemptionTestKit.SowContainer));
        Assert.Empty(await kit.BlobsAsync(RedemptionTestKit.RejectedContainer));
    }

    [Fact]
    public async Task Dropped_POEs_over_the_approved_SOWs_bytes_are_rejected_for_their_own_rules_or_as_the_SOWs_document()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var voucher = await kit.IssueVoucherAsync();
        var sowBytes = RedemptionTestKit.Pdf("the dropped SOW");
        var sowId = await DroppedAsync(kit, $"{voucher.Id}/sow/sow.pdf", sowBytes, RedemptionTestKit.SowMetadata(), redemptions: 1);
        await kit.ApproveAsync(voucher.Id, sowId);
        var tooFewUsers = RedemptionTestKit.PoeMetadata();
        tooFewUsers["usersdeployed"] = "240";
        var powerBi = RedemptionTestKit.PoeMetadata();
        powerBi["workloads"] = "PowerBI,Teams";
        var drops = new (string Name, Dictionary<string, string> Metadata, string Reason)[]
        {
            ($"{voucher.Id}/poe/240-users.pdf", tooFewUsers, "TooFewUsers: "),
            ($"{voucher.Id}/poe/power-bi.pdf", powerBi, "TooFewEligibleWorkloads: "),
            ($"{voucher.Id}/poe/as-poe.pdf", RedemptionTestKit.PoeMetadata(), $"DocumentAlreadyHeld: This document is already redemption {sowId}"),
        };

        foreach (var (name, metadata, _) in drops)
        {
            await kit.DropAsync(name, sowBytes, metadata);
        }

        var rejected = await Eventually.Returns(() => kit.BlobsAsync(RedemptionTestKit.RejectedContainer), found => found.Count == drops.Length);
        Assert.All(drops, drop => Assert.StartsWith(drop.Reason, rejected.Single(b => b.Name == drop.Name).Metadata["reason"], StringComparison.Ordinal));
        Assert.Equal(sowId, Assert.Single(await kit.RedemptionsAsync(voucher.Id)).GetProperty("id").GetString());
        Assert.Single(await kit.BlobsAsync(RedemptionTestKit.SowContainer));
    }

    [Fact]
    public async Task The_same_POE_dropped_again_after_it_was_processed_is_the_same_redemption_stored_once()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var voucher = await kit.IssueVoucherAsync();
        var sowId = await DroppedAsync(kit, $"{voucher.Id}/sow/sow.pdf", RedemptionTestKit.Pdf("a SOW"), RedemptionTestKit.SowMetadata(), redemptions: 1);
        await kit.ApproveAsync(voucher.Id, sowId);
        var poe = RedemptionTestKit.Pdf("the dropped POE");
        var poeId = await DroppedAsync(kit, $"{voucher.Id}/poe/poe.pdf", poe, RedemptionTestKit.PoeMetadata(), redemptions: 2);

        // As after a crash between the commit and the inbox delete: the same POE, declared the same way, again.
        await kit.DropAsync($"{voucher.Id}/poe/poe.pdf", poe, RedemptionTestKit.PoeMetadata());

        await Eventually.Returns(() => kit.BlobsAsync(RedemptionTestKit.InboxContainer), inbox => inbox.Count == 0);
        Assert.Equal([sowId, poeId], (await kit.RedemptionsAsync(voucher.Id)).Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(2, (await kit.BlobsAsync(RedemptionTestKit.SowContainer)).Count);
        Assert.Empty(await kit.BlobsAsync(RedemptionTestKit.RejectedContainer));
    }

    [Fact]
    public async Task Drops_that_break_a_rule_are_moved_to_rejected_with_their_reasons_and_nothing_is_recorded()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var voucher = await kit.IssueVoucherAsync();
        var unsigned = RedemptionTestKit.SowMetadata();
        unsigned.Remove("signedbycustomer");
        unsigned["ecif"] = "true";
        var badMetadata = RedemptionTestKit.SowMetadata();
        badMetadata["signedbypartner"] = "perhaps";
        var tooLarge = new byte[RedemptionTestKit.MaxDocumentBytes + 1];
        RedemptionTestKit.Pdf("large").CopyTo(tooLarge, 0);
        var drops = new (string Name, byte[] Document, Dictionary<string, string> Metadata, string[] Reasons)[]
        {
            ($"{voucher.Id}/sow/not-a-pdf.pdf", "PK\u0003\u0004 renamed"u8.ToArray(), RedemptionTestKit.SowMetadata(), ["file: The document is not a PDF"]),
            ($"{voucher.Id}/sow/unsigned.pdf", RedemptionTestKit.Pdf("unsigned"), unsigned, ["NotSignedByCustomer:", "EcifFunded:"]),
            ($"{voucher.Id}/sow/bad-metadata.pdf", RedemptionTestKit.Pdf("bad metadata"), badMetadata, ["signedByPartner: 'perhaps' is not true or false."]),
            ($"{voucher.Id}/sow/too-large.pdf", tooLarge, RedemptionTestKit.SowMetadata(), ["TooLarge:"]),
            ($"{voucher.Id}/invoice/invoice.pdf", RedemptionTestKit.Pdf("not a kind"), RedemptionTestKit.SowMetadata(), ["kind: 'invoice' is not a kind of document"]),
            ("CSO-0000000000000000/sow/sow.pdf", RedemptionTestKit.Pdf("no voucher"), RedemptionTestKit.SowMetadata(), ["VoucherNotFound:"]),
            ("loose-file.pdf", RedemptionTestKit.Pdf("no folders"), RedemptionTestKit.SowMetadata(), ["path: Expected {voucherId}/{sow|poe}/{fileName}"]),
            ("CSO 1:x/sow/sow.pdf", RedemptionTestKit.Pdf("hostile id"), RedemptionTestKit.SowMetadata(), ["path: An id is 1 to 128 characters", "'CSO 1:x'"]),
        };

        foreach (var (name, document, metadata, _) in drops)
        {
            await kit.DropAsync(name, document, metadata);
        }

        var rejected = await Eventually.Returns(() => kit.BlobsAsync(RedemptionTestKit.RejectedContainer), found => found.Count == drops.Length);
        foreach (var (name, document, metadata, reasons) in drops)
        {
            var blob = rejected.Single(b => b.Name == name);
            Assert.Equal(document.Length, blob.Properties.ContentLength);
            Assert.All(metadata, entry => Assert.Equal(entry.Value, blob.Metadata[entry.Key]));
            Assert.All(reasons, reason => Assert.Contains(reason, blob.Metadata["reason"], StringComparison.Ordinal));
        }

        Assert.Empty(await kit.BlobsAsync(RedemptionTestKit.InboxContainer));
        Assert.Empty(await kit.RedemptionsAsync(voucher.Id));
        Assert.Empty(await kit.BlobsAsync(RedemptionTestKit.SowContainer));
    }

    [Fact]
    public async Task A_drop_written_over_while_it_was_processed_is_not_deleted_but_processed_again()
    {
        string? dropName = null;
        var second = RedemptionTestKit.Pdf("another SOW, written over the first drop");
        await using var kit = await RedemptionTestKit.StartAsync(services: services => services.AddSingleton(provider =>
        {
            // The drop function's inbox client: just before it deletes the drop it processed, a new version lands.
            var connection = provider.GetRequiredService<IConfiguration>()[StorageAccount.Setting]!;
            var options = new BlobClientOptions();
            options.AddPolicy(
                new BeforeFirstRequest(
                    BeforeFirstRequest.To(RequestMethod.Delete, "/sow/sow.pdf"),
                    () => new BlobContainerClient(connection, RedemptionTestKit.InboxContainer).GetBlobClient(dropName).UploadAsync(
                        new BinaryData(second), new BlobUploadOptions { Metadata = RedemptionTestKit.SowMetadata() })),
                HttpPipelinePosition.PerCall);
            return new BlobServiceClient(connection, options);
        }));
        var voucher = await kit.IssueVoucherAsync();
        var first = RedemptionTestKit.Pdf("the first SOW");
        dropName = $"{voucher.Id}/sow/sow.pdf";

        await kit.DropAsync(dropName, first, RedemptionTestKit.SowMetadata());

        // The new version is a drop of its own: a second SOW, which the voucher refuses, so it is rejected, not lost.
        var rejected = Assert.Single(await Eventually.Returns(() => kit.BlobsAsync(RedemptionTestKit.RejectedContainer), found => found.Count > 0));
        Assert.Equal((dropName, second.Length), (rejected.Name, rejected.Properties.ContentLength));
        Assert.Contains("SowAlreadySubmitted", rejected.Metadata["reason"], StringComparison.Ordinal);
        var redemption = Assert.Single(await kit.RedemptionsAsync(voucher.Id));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(first)), redemption.GetProperty("document").GetProperty("sha256").GetString());
        Assert.Empty(await kit.BlobsAsync(RedemptionTestKit.InboxContainer));
    }

    [Fact]
    public async Task A_rejected_drop_whose_name_was_rejected_before_stays_in_the_inbox_and_the_earlier_one_is_kept()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var earlier = kit.Container(RedemptionTestKit.RejectedContainer);
        await earlier.CreateIfNotExistsAsync();
        await earlier.GetBlobClient("loose-file.pdf").UploadAsync(new BinaryData(RedemptionTestKit.Pdf("rejected earlier")));

        await kit.DropAsync("loose-file.pdf", RedemptionTestKit.Pdf("dropped again"), RedemptionTestKit.SowMetadata());

        // The move fails every time (409: the name is taken), until the loop gives the drop up as poisoned.
        await Eventually.Returns(
            () => kit.Referrals.RowsAsync("BlobReceipts"),
            receipts => receipts.Any(receipt => receipt.RowKey == "loose-file.pdf" && receipt.GetBoolean("Poisoned") == true));
        Assert.Equal("loose-file.pdf", Assert.Single(await kit.BlobsAsync(RedemptionTestKit.InboxContainer)).Name);
        var kept = (await earlier.GetBlobClient("loose-file.pdf").DownloadContentAsync()).Value;
        Assert.Equal(RedemptionTestKit.Pdf("rejected earlier"), kept.Content.ToArray());
        Assert.False(kept.Details.Metadata.ContainsKey("reason"));
    }

    [Fact]
    public async Task A_rejected_drops_metadata_reads_back_with_the_SDKs_own_client()
    {
        await using var kit = await RedemptionTestKit.StartAsync();

        await kit.DropAsync("no-folders.pdf", RedemptionTestKit.Pdf("no folders"), RedemptionTestKit.SowMetadata());

        await Eventually.Returns(() => kit.BlobsAsync(RedemptionTestKit.RejectedContainer), found => found.Count > 0);
        var properties = (await new BlobClient(kit.Referrals.Storage, RedemptionTestKit.RejectedContainer, "no-folders.pdf").GetPropertiesAsync()).Value;
        Assert.Equal("path: Expected {voucherId}/{sow|poe}/{fileName}, not no-folders.pdf.", properties.Metadata["reason"]);
        Assert.Equal("SOW-2023", properties.Metadata["templateid"]);
    }

    /// <summary>Drops a document and waits until it is the voucher's <paramref name="redemptions"/>-th redemption; returns its id.</summary>
    private static async Task<string> DroppedAsync(RedemptionTestKit kit, string name, byte[] document, Dictionary<string, string> metadata, int redemptions)
    {
        await kit.DropAsync(name, document, metadata);
        var voucherId = name[..name.IndexOf('/', StringComparison.Ordinal)];
        var found = await Eventually.Returns(() => kit.RedemptionsAsync(voucherId), all => all.Count == redemptions);
        return found[^1].GetProperty("id").GetString()!;
    }
}
