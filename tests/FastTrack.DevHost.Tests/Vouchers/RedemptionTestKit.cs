using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.DevHost.Tests.Referrals;
using FastTrack.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FastTrack.DevHost.Tests.Vouchers;

/// <summary>
/// A voucher issued through the HTTP contract (partner, RFA, the partner notified, the customer's licence and usage
/// figures, the intention), on a <see cref="ReferralTestKit"/>, and signed documents sent to it by upload or blob drop.
/// </summary>
public sealed class RedemptionTestKit(ReferralTestKit referrals) : IAsyncDisposable
{
    public const string SowContainer = "redemptions";
    public const string InboxContainer = "redemptions-inbox";
    public const string RejectedContainer = "redemptions-rejected";

    /// <summary>Small, so that a test can send a document over it quickly.</summary>
    public const int MaxDocumentBytes = 64 * 1024;

    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Vouchers:MaxDocumentBytes"] = MaxDocumentBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public ReferralTestKit Referrals { get; } = referrals;

    public HttpClient OfferDesk { get; } = referrals.App.CreateClient(FastTrackApp.OfferDeskKey);

    public static async Task<RedemptionTestKit> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) =>
        new(await ReferralTestKit.StartAsync(new Dictionary<string, string?>(Settings.Concat(settings ?? new Dictionary<string, string?>())), services));

    /// <summary>Issues a voucher to a new partner for a new customer, and reads its link from the partner's email.</summary>
    public async Task<IssuedVoucher> IssueVoucherAsync(string name = "contoso")
    {
        var partnerId = $"partner-{name}";
        await Referrals.PutPartnerAsync(partnerId);
        var rfa = SampleRequests.Rfa($"rfa-{name}");
        var referralId = await Referrals.SubmitAsync(rfa);
        await Eventually.Returns(
            () => Referrals.GetReferralAsync(referralId),
            referral => referral.GetProperty("parts").EnumerateArray().Any(p => p.GetProperty("partnerId").ToString() == partnerId));

        var customer = rfa["customer"]!.AsObject();
        var profile = SampleRequests.Customer(customer["tpid"]!.GetValue<string>());
        var tenantId = customer["tenantId"]!.GetValue<string>();
        (await Referrals.Operations.PutAsJsonAsync(Relative($"/api/customers/{tenantId}"), profile)).EnsureSuccessStatusCode();
        var issued = await Referrals.Operations.PostAsJsonAsync(Relative("/api/vouchers"), new { referralId, partnerId });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var voucherId = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var mail = await Referrals.WaitForMailAsync($"{partnerId}@partners.example", "voucher issued");
        return new IssuedVoucher(voucherId, partnerId, ReferralTestKit.LinkIn(mail));
    }

    public async Task<JsonElement> GetVoucherAsync(string voucherId) =>
        await OfferDesk.GetFromJsonAsync<JsonElement>(Relative($"/api/vouchers/{voucherId}"));

    public async Task<IReadOnlyList<JsonElement>> RedemptionsAsync(string voucherId) =>
        [.. (await GetVoucherAsync(voucherId)).GetProperty("redemptions").EnumerateArray()];

    /// <summary>A small PDF, different for each <paramref name="text"/>: only its first bytes make it one.</summary>
    public static byte[] Pdf(string text) => Encoding.ASCII.GetBytes($"%PDF-1.7\n% {text}\n%%EOF\n");

    /// <summary>A signed SOW on the official template, as the voucher page's form sends it; fields change or add to it.</summary>
    public static MultipartFormDataContent SowForm(byte[] document, string fileName = "signed-sow.pdf", params (string Name, string Value)[] fields) =>
        SowForm(new ByteArrayContent(document), fileName, fields);

    public static MultipartFormDataContent SowForm(HttpContent file, string fileName, params (string Name, string Value)[] fields) =>
        Form(file, fileName, new() { ["kind"] = "sow", ["templateId"] = "SOW-2023", ["signedByCustomer"] = "true", ["signedByPartner"] = "true" }, fields);

    /// <summary>A signed POE that keeps every rule of its own (300 users, Exchange Online and Teams); fields change or add to it.</summary>
    public static MultipartFormDataContent PoeForm(byte[] document, params (string Name, string Value)[] fields) =>
        Form(new ByteArrayContent(document), "signed-poe.pdf", PoeFields(), fields);

    private static Dictionary<string, string> PoeFields() => new()
    {
        ["kind"] = "poe", ["templateId"] = "POE-2023", ["signedByCustomer"] = "true", ["signedByPartner"] = "true",
        ["usersDeployed"] = "300", ["workloads"] = "ExchangeOnline,Teams",
    };

    private static MultipartFormDataContent Form(HttpContent file, string fileName, Dictionary<string, string> values, (string Name, string Value)[] fields)
    {
        ArgumentNullException.ThrowIfNull(file);
        var form = new MultipartFormDataContent();
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", fileName);
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        foreach (var (name, value) in values.Where(v => v.Value.Length > 0))
        {
            form.Add(new StringContent(value), name);
        }

        return form;
    }

    /// <summary>Uploads to <c>POST /api/vouchers/{id}/redemptions</c> with the offer desk's key, or none if another client is given.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> UploadAsync(string voucherId, HttpContent form, HttpClient? client = null, string? linkToken = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Relative($"/api/vouchers/{voucherId}/redemptions")) { Content = form };
        if (linkToken is not null)
        {
            request.Headers.Add("x-link-token", linkToken);
        }

        var response = await (client ?? OfferDesk).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>The offer desk approves a redemption, which must succeed.</summary>
    public async Task ApproveAsync(string voucherId, string redemptionId) =>
        (await OfferDesk.PostAsJsonAsync(Relative($"/api/vouchers/{voucherId}/redemptions/{redemptionId}/decision"), new { approve = true })).EnsureSuccessStatusCode();

    public BlobContainerClient Container(string name) => new(Referrals.Storage, name);

    /// <summary>The blobs in a container with their metadata, read straight from storage (none when it does not exist yet).</summary>
    public async Task<IReadOnlyList<BlobItem>> BlobsAsync(string container)
    {
        var client = Container(container);
        await client.CreateIfNotExistsAsync();
        return await client.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }).ToListAsync();
    }

    /// <summary>Writes a document to the inbox, as the offer desk's tools do.</summary>
    public async Task DropAsync(string name, byte[] document, IDictionary<string, string> metadata)
    {
        var inbox = Container(InboxContainer);
        await inbox.CreateIfNotExistsAsync();
        await inbox.GetBlobClient(name).UploadAsync(new BinaryData(document), new BlobUploadOptions { Metadata = metadata });
    }

    /// <summary>The metadata of a signed SOW on the official template (API.md's names).</summary>
    public static Dictionary<string, string> SowMetadata() => new()
    {
        ["templateid"] = "SOW-2023",
        ["signedbycustomer"] = "true",
        ["signedbypartner"] = "true",
        ["ecif"] = "false",
    };

    /// <summary>The metadata of a signed POE that keeps every rule of its own, as <see cref="PoeForm"/>'s fields.</summary>
    public static Dictionary<string, string> PoeMetadata() =>
        PoeFields().Where(field => field.Key != "kind").ToDictionary(field => field.Key.ToLowerInvariant(), field => field.Value);

    public static Uri Relative(string path) => new(path, UriKind.Relative);

    public async ValueTask DisposeAsync()
    {
        OfferDesk.Dispose();
        await Referrals.DisposeAsync();
    }
}

/// <summary>An issued voucher, its partner, and the link from the issue email.</summary>
public sealed record IssuedVoucher(string Id, string PartnerId, string Link)
{
    public string Token => Link[(Link.LastIndexOf('/') + 1)..];

    /// <summary>The link's path, for a client of the app under test.</summary>
    public Uri LinkPath => new(new Uri(Link).PathAndQuery, UriKind.Relative);
}
