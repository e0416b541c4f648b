using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Queues;
using FastTrack.Domain;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Vouchers;
using FastTrack.Core.Events;
using FastTrack.Core.Referrals;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.DevHost.Tests.Referrals;
using FastTrack.Core.Vouchers;
using FastTrack.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FastTrack.DevHost.Tests.Vouchers;

/// <summary>
/// A referral kit with what vouchers need on top: a partner <c>p1</c>, referred customers with licence and usage
/// figures, the offer desk's key, and redemptions recorded through the app's own voucher service.
/// </summary>
public sealed class VoucherTestKit : IAsyncDisposable
{
    public const string PartnerId = "p1";
    public const string PartnerMail = "p1@partners.example";
    public const string FpmMail = "fpm@microsoft.example";
    public const string CustomerMail = "casey@contoso.example";

    private int _documents;

    private VoucherTestKit(ReferralTestKit referrals)
    {
        Referrals = referrals;
        OfferDesk = referrals.App.CreateClient(FastTrackApp.OfferDeskKey);
    }

    public ReferralTestKit Referrals { get; }

    public HttpClient OfferDesk { get; }

    public HttpClient Operations => Referrals.Operations;

    public static async Task<VoucherTestKit> StartAsync()
    {
        var referrals = await ReferralTestKit.StartAsync();
        await referrals.PutPartnerAsync(PartnerId);
        return new VoucherTestKit(referrals);
    }

    /// <summary>A customer with the given profile (eligible unless changed) referred to <c>p1</c>; returns the referral id.</summary>
    public async Task<string> ReferAsync(string name, Action<JsonObject>? changeCustomer = null)
    {
        var rfa = SampleRequests.Rfa(name);
        var customer = SampleRequests.Customer(rfa["customer"]!["tpid"]!.GetValue<string>());
        changeCustomer?.Invoke(customer);
        var tenantId = rfa["customer"]!["tenantId"]!.GetValue<string>();
        (await Operations.PutAsJsonAsync(new Uri($"/api/customers/{tenantId}", UriKind.Relative), customer)).EnsureSuccessStatusCode();
        return await Referrals.SubmitAsync(rfa);
    }

    public async Task<HttpResponseMessage> IssueAsync(string referralId, string partnerId = PartnerId) =>
        await Operations.PostAsJsonAsync(new Uri("/api/vouchers", UriKind.Relative), new { referralId, partnerId });

    /// <summary>Issues the voucher, which must succeed; returns the 201 body.</summary>
    public async Task<JsonElement> IssuedAsync(string referralId)
    {
        var response = await IssueAsync(referralId);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> GetAsync(string voucherId) =>
        await OfferDesk.GetFromJsonAsync<JsonElement>(new Uri($"/api/vouchers/{voucherId}", UriKind.Relative));

    /// <summary>Records a signed, official SOW as the upload would; returns the redemption id.</summary>
    public Task<string> SubmitSowAsync(string voucherId) =>
        SubmitAsync(voucherId, RedemptionKind.Sow, "SOW-2023", null, []);

    public Task<string> SubmitPoeAsync(string voucherId, int usersDeployed) =>
        SubmitAsync(voucherId, RedemptionKind.Poe, "POE-2023", usersDeployed, [Workload.ExchangeOnline, Workload.Teams]);

    public async Task<HttpResponseMessage> DecideAsync(string voucherId, string redemptionId, bool approve, string? reason = null) =>
        await OfferDesk.PostAsJsonAsync(
            new Uri($"/api/vouchers/{voucherId}/redemptions/{redemptionId}/decision", UriKind.Relative), new { approve, reason });

    public async Task<JsonElement> OverdueAsync() =>
        await OfferDesk.GetFromJsonAsync<JsonElement>(new Uri("/api/redemptions/overdue", UriKind.Relative));

    /// <summary>Emails to an address whose subject contains a text, now.</summary>
    public async Task<IReadOnlyList<JsonElement>> MailsAsync(string to, string subjectContains) =>
        [.. (await Referrals.MailboxAsync()).Where(m =>
            m.GetProperty("to").EnumerateArray().Any(a => a.GetString() == to) &&
            m.GetProperty("subject").GetString()!.Contains(subjectContains, StringComparison.Ordinal))];

    /// <summary>Waits for the voucher's integration events on queue <c>referral-events</c>, by type, until <paramref name="type"/> is among them.</summary>
    public async Task<IReadOnlyList<IntegrationEvent>> WaitForEventsAsync(string voucherId, string type)
    {
        var queue = Referrals.App.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(IntegrationEvents.QueueName);
        return await Eventually.Returns(
            async () =>
            {
                try
                {
                    return (await queue.PeekMessagesAsync(32)).Value
                        .Select(message => JsonSerializer.Deserialize<IntegrationEvent>(message.Body.ToString(), DomainJson.Options)!)
                        .Where(e => e.VoucherId == voucherId)
                        .ToList();
                }
                catch (RequestFailedException noQueueYet) when (noQueueYet.Status == 404)
                {
                    return [];
                }
            },
            events => events.Any(e => e.Type == type));
    }

    private async Task<string> SubmitAsync(string voucherId, RedemptionKind kind, string templateId, int? users, Workload[] workloads)
    {
        var document = new RedemptionDocument($"{kind}.pdf", $"sha-{Interlocked.Increment(ref _documents)}", 1000);
        var submission = new RedemptionSubmission(kind, templateId, true, true, false, users, workloads.ToHashSet(), document);
        var service = Referrals.App.Services.GetRequiredService<VoucherService>();
        var change = await service.SubmitAsync(voucherId, Guid.NewGuid().ToString("N"), submission, CancellationToken.None);
        Assert.True(change?.Succeeded, string.Join(" ", change?.Violations.Select(v => v.Message) ?? ["no voucher"]));
        return change!.Redemption!.Id;
    }

    public async ValueTask DisposeAsync()
    {
        OfferDesk.Dispose();
        await Referrals.DisposeAsync();
    }
}
