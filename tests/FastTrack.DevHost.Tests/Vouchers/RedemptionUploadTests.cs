using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using FastTrack.Core.Links;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FastTrack.DevHost.Tests.Vouchers;

/// <summary><c>POST /api/vouchers/{id}/redemptions</c>: the real app on its own Azurite, documents streamed to real blobs.</summary>
public sealed class RedemptionUploadTests
{
    [Fact]
    public async Task A_signed_SOW_is_202_and_the_voucher_records_the_stored_document_with_its_SHA256()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var voucher = await kit.IssueVoucherAsync();
        var document = RedemptionTestKit.Pdf("the signed SOW");

        var (status, body) = await kit.UploadAsync(voucher.Id, RedemptionTestKit.SowForm(document));

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("Received", body.GetProperty("status").GetString());
        var redemptionId = body.GetProperty("redemptionId").GetString()!;
        var redemption = Assert.Single(await kit.RedemptionsAsync(voucher.Id));
        Assert.Equal(redemptionId, redemption.GetProperty("id").GetString());
        Assert.Equal("Sow", redemption.GetProperty("kind").GetString());
        var recorded = redemption.GetProperty("document");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(document)), recorded.GetProperty("sha256").GetString());
        Assert.Equal(document.Length, recorded.GetProperty("size").GetInt64());
        Assert.Equal("signed-sow.pdf", recorded.GetProperty("name").GetString());
        var stored = await kit.Container(RedemptionTestKit.SowContainer).GetBlobClient($"{voucher.Id}/{redemptionId}.pdf").DownloadStreamingAsync();
        using var content = new MemoryStream();
        await stored.Value.Content.CopyToAsync(content);
        Assert.Equal(document, content.ToArray());
    }

    [Fact]
    public async Task Fields_may_follow_the_file_and_workloads_may_be_repeated_or_comma_separated()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var voucher = await kit.IssueVoucherAsync();
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(RedemptionTestKit.Pdf("a POE")), "file", "poe.pdf");
        foreach (var (name, value) in new[] { ("kind", "poe"), ("templateId", "POE-2023"), ("signedByCustomer", "on"), ("signedByPartner", "true"), ("usersDeployed", "300"), ("workloads", "Teams, ExchangeOnline"), ("workloads", "PowerBI") })
        {
            form.Add(new StringContent(value), name);
        }

        var (status, body) = await kit.UploadAsync(voucher.Id, form);

        // Every field was read, after the file: the POE is refused for the SOW it lacks, and for nothing else.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(["SowNotApproved"], Codes(body));
        Assert.Empty(await kit.BlobsAsync(RedemptionTestKit.SowContainer));
    }

    [Fact]
    public async Task The_same_document_uploaded_again_is_the_same_redemption_and_is_stored_once()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var voucher = await kit.IssueVoucherAsync();
        var document = RedemptionTestKit.Pdf("sent twice");

        var first = await kit.UploadAsync(voucher.Id, RedemptionTestKit.SowForm(document));
        var second = await kit.UploadAsync(voucher.Id, RedemptionTestKit.SowForm(document, "copy-of-sow.pdf"));

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.Status, second.Status));
        Assert.Equal(first.Body.GetProperty("redemptionId").GetString(), second.Body.GetProperty("redemptionId").GetString());
        Assert.Single(await kit.RedemptionsAsync(voucher.Id));
        Assert.Single(await kit.BlobsAsync(RedemptionTestKit.SowContainer));
    }

    [Fact]
    public async Task A_POE_over_the_approved_SOWs_bytes_is_422_for_its_own_rules_and_409_naming_the_SOW_when_they_hold()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var voucher = await kit.IssueVoucherAsync();
        var sowBytes = RedemptionTestKit.Pdf("the approved SOW");
        var sowId = (await kit.UploadAsync(voucher.Id, RedemptionTestKit.SowForm(sowBytes))).Body.GetProperty("redemptionId").GetString()!;
        await kit.ApproveAsync(voucher.Id, sowId);

        var tooFewUsers = await kit.UploadAsync(voucher.Id, RedemptionTestKit.PoeForm(sowBytes, ("usersDeployed", "240")));
        var powerBi = await kit.UploadAsync(voucher.Id, RedemptionTestKit.PoeForm(sowBytes, ("workloads", "PowerBI,Teams")));
        var asPoe = await kit.UploadAsync(voucher.Id, RedemptionTestKit.PoeForm(sowBytes));

        Assert.Equal((HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity), (tooFewUsers.Status, powerBi.Status));
        Assert.Equal(["TooFewUsers"], Codes(tooFewUsers.Body));
        Assert.Equal(["TooFewEligibleWorkloads"], Codes(powerBi.Body));
        Assert.Equal(HttpStatusCode.Conflict, asPoe.Status);
        Assert.Equal(sowId, asPoe.Body.GetProperty("redemptionId").GetString());
        Assert.Contains($"already redemption {sowId}", asPoe.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var sow = Assert.Single(await kit.RedemptionsAsync(voucher.Id));
        Assert.Equal(("Sow", "Approved"), (sow.GetProperty("kind").GetString(), sow.GetProperty("status").GetString()));
        Assert.Single(await kit.BlobsAsync(RedemptionTestKit.SowContainer));
    }

    [Fact]
    public async Task The_same_POE_uploaded_twice_is_the_first_redemption_and_the_same_bytes_declared_otherwise_are_409()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var voucher = await kit.IssueVoucherAsync();
        var sowId = (await kit.UploadAsync(voucher.Id, RedemptionTestKit.SowForm(RedemptionTestKit.Pdf("a SOW")))).Body.GetProperty("redemptionId").GetString()!;
        await kit.ApproveAsync(voucher.Id, sowId);
        var poeBytes = RedemptionTestKit.Pdf("the POE");

        var first = await kit.UploadAsync(voucher.Id, RedemptionTestKit.PoeForm(poeBytes));
        var again = await kit.UploadAsync(voucher.Id, RedemptionTestKit.PoeForm(poeBytes));
        var moreUsers = await kit.UploadAsync(voucher.Id, RedemptionTestKit.PoeForm(poeBytes, ("usersDeployed", "400")));

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Conflict), (first.Status, again.Status, moreUsers.Status));
        var poeId = first.Body.GetProperty("redemptionId").GetString();
        Assert.Equal(poeId, again.Body.GetProperty("redemptionId").GetString());
        Assert.Equal(poeId, moreUsers.Body.GetProperty("redemptionId").GetString());
        Assert.Equal(2, (await kit.RedemptionsAsync(voucher.Id)).Count);
        Assert.Equal(2, (await kit.BlobsAsync(RedemptionTestKit.SowContainer)).Count);
    }

    [Fact]
    public async Task An_upload_over_the_size_limit_is_413_whether_announced_or_streamed_and_nothing_is_stored()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var voucher = await kit.IssueVoucherAsync();
        var tooLarge = new byte[RedemptionTestKit.MaxDocumentBytes + 1];
        RedemptionTestKit.Pdf("large").CopyTo(tooLarge, 0);
        var announced = new byte[RedemptionTestKit.MaxDocumentBytes * 3];
        RedemptionTestKit.Pdf("announced").CopyTo(announced, 0);

        // Just over the limit: under the form's allowance, so only the count while streaming can catch it.
        var streamed = await kit.UploadAsync(voucher.Id, RedemptionTestKit.SowForm(tooLarge));
        // Far over: the Content-Length says so before any of it is read.
        var upFront = await kit.UploadAsync(voucher.Id, RedemptionTestKit.SowForm(announced));
        // No Content-Length at all (chunked): counted while streaming.
        var unannounced = await kit.UploadAsync(voucher.Id, RedemptionTestKit.SowForm(new StreamContent(new UnseekableStream(announced)), "chunked.pdf"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.Status);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, upFront.Status);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, unannounced.Status);
        Assert.Contains("65,536 bytes", streamed.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await kit.RedemptionsAsync(voucher.Id));
        Assert.Empty(await kit.BlobsAsync(RedemptionTestKit.SowContainer));
    }

    [Fact]
    public async Task On_a_real_socket_fields_running_past_the_allowance_are_cut_off_by_the_body_limit_at_413_and_nothing_is_stored()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var voucher = await kit.IssueVoucherAsync();
        var port = LoopbackPorts.Free();
        await using var app = new FastTrackApp(kit.Referrals.Storage, RedemptionTestKit.Settings);
        app.UseKestrel(port);
        app.StartServer();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Add("x-functions-key", FastTrackApp.OfferDeskKey);
        // A good document first, then a field far past the allowance, chunked: only Kestrel's limit, which the endpoint
        // lowers to the document limit plus the allowance, stops it (Kestrel's default would take it all: 400, too long).
        var form = RedemptionTestKit.SowForm(RedemptionTestKit.Pdf("before a flood"));
        form.Add(new StreamContent(new UnseekableStream(new byte[RedemptionTestKit.MaxDocumentBytes * 3])), "notes");

        var (status, _) = await kit.UploadAsync(voucher.Id, form, client);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Empty(await kit.RedemptionsAsync(voucher.Id));
        Assert.Empty(await kit.BlobsAsync(RedemptionTestKit.SowContainer));
    }

    [Fact]
    public async Task A_file_named_pdf_that_is_not_a_PDF_is_400_and_nothing_is_stored()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var voucher = await kit.IssueVoucherAsync();
        var zip = "PK\u0003\u0004 a word document renamed"u8.ToArray();

        var (status, body) = await kit.UploadAsync(voucher.Id, RedemptionTestKit.SowForm(zip, "signed-sow.pdf"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var problem = Assert.Single(body.GetProperty("errors").GetProperty("file").EnumerateArray());
        Assert.Contains("not a PDF", problem.GetString(), StringComparison.Ordinal);
        Assert.Empty(await kit.RedemptionsAsync(voucher.Id));
        Assert.Empty(await kit.BlobsAsync(RedemptionTestKit.SowContainer));
    }

    [Fact]
    public async Task A_form_with_problems_is_400_listing_every_one_and_nothing_is_stored()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var voucher = await kit.IssueVoucherAsync();
        var form = RedemptionTestKit.SowForm(RedemptionTestKit.Pdf("form problems"), fields: [("kind", ""), ("templateId", ""), ("signedByCustomer", "maybe")]);

        var (status, body) = await kit.UploadAsync(voucher.Id, form);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["kind", "signedByCustomer", "templateId"], body.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        Assert.Empty(await kit.BlobsAsync(RedemptionTestKit.SowContainer));
    }

    [Fact]
    public async Task Rule_violations_are_422_listing_every_one_and_nothing_is_stored()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var voucher = await kit.IssueVoucherAsync();
        var form = RedemptionTestKit.SowForm(
            RedemptionTestKit.Pdf("unsigned"), fields: [("templateId", "MY-OWN-SOW"), ("signedByCustomer", ""), ("signedByPartner", "false"), ("ecifFunded", "true")]);

        var (status, body) = await kit.UploadAsync(voucher.Id, form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(["EcifFunded", "NotOfficialTemplate", "NotSignedByCustomer", "NotSignedByPartner"], Codes(body).Order());
        Assert.Empty(await kit.RedemptionsAsync(voucher.Id));
        Assert.Empty(await kit.BlobsAsync(RedemptionTestKit.SowContainer));
    }

    [Fact]
    public async Task An_upload_after_the_voucher_expired_is_422_VoucherExpired()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var voucher = await kit.IssueVoucherAsync();
        (await kit.Referrals.Anonymous.PostAsJsonAsync(RedemptionTestKit.Relative("/api/_dev/clock"), new { advance = "P200D" })).EnsureSuccessStatusCode();

        var (status, body) = await kit.UploadAsync(voucher.Id, RedemptionTestKit.SowForm(RedemptionTestKit.Pdf("too late")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("VoucherExpired", Codes(body));
        Assert.Empty(await kit.BlobsAsync(RedemptionTestKit.SowContainer));
    }

    [Fact]
    public async Task The_voucher_link_token_uploads_and_a_tampered_foreign_or_expired_token_changes_nothing()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var voucher = await kit.IssueVoucherAsync();
        var links = kit.Referrals.App.Services.GetRequiredService<PartnerLinks>();
        string TokenOf(Uri link) => link.AbsolutePath[(link.AbsolutePath.LastIndexOf('/') + 1)..];
        var signature = voucher.Token[(voucher.Token.IndexOf('.', StringComparison.Ordinal) + 1)..];
        var tampered = voucher.Token.Replace(signature, (signature[0] == 'A' ? "B" : "A") + signature[1..], StringComparison.Ordinal);
        var otherVoucher = TokenOf(links.Voucher("CSO-0000000000000000", voucher.PartnerId, DateTimeOffset.UtcNow));
        var otherPartner = TokenOf(links.Voucher(voucher.Id, "partner-someone-else", DateTimeOffset.UtcNow));
        var expired = TokenOf(links.Voucher(voucher.Id, voucher.PartnerId, DateTimeOffset.UtcNow.AddDays(-400)));
        var anonymous = kit.Referrals.Anonymous;
        HttpContent Form() => RedemptionTestKit.SowForm(RedemptionTestKit.Pdf("by link"));

        var refused = new[]
        {
            (await kit.UploadAsync(voucher.Id, Form(), anonymous, tampered)).Status,
            (await kit.UploadAsync(voucher.Id, Form(), anonymous)).Status,
            (await kit.UploadAsync(voucher.Id, Form(), kit.Referrals.Operations)).Status,
            (await kit.UploadAsync(voucher.Id, Form(), anonymous, otherVoucher)).Status,
            (await kit.UploadAsync(voucher.Id, Form(), anonymous, otherPartner)).Status,
            (await kit.UploadAsync(voucher.Id, Form(), anonymous, expired)).Status,
        };
        Assert.Empty(await kit.BlobsAsync(RedemptionTestKit.SowContainer));
        var accepted = await kit.UploadAsync(voucher.Id, Form(), anonymous, voucher.Token);

        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Gone],
            refused);
        Assert.Equal(HttpStatusCode.Accepted, accepted.Status);
        Assert.Single(await kit.RedemptionsAsync(voucher.Id));
        Assert.Single(await kit.BlobsAsync(RedemptionTestKit.SowContainer));
    }

    private static List<string> Codes(JsonElement problem) =>
        [.. problem.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("code").GetString()!)];
}
