using System.Net.Http.Json;
using System.Text.Json;
using FastTrack.DevHost.Tests.Infrastructure;
using Xunit;
using static FastTrack.DevHost.Tests.Vouchers.VoucherTestKit;

namespace FastTrack.DevHost.Tests.Vouchers;

/// <summary>Erasing the customer contact of a referral with a voucher (SPEC §10 with §9).</summary>
public sealed class VoucherPrivacyTests
{
    [Fact]
    public async Task An_erasure_lists_the_vouchers_signed_documents_as_kept_and_the_voucher_stays_whole()
    {
        await using var kit = await StartAsync();
        var referralId = await kit.ReferAsync("erase");
        var voucherId = (await kit.IssuedAsync(referralId)).GetProperty("id").GetString()!;
        var sow = await kit.SubmitSowAsync(voucherId);
        await kit.Referrals.WaitForMailAsync(CustomerMail, "Your Customer Success Offer");
        var before = (await kit.GetAsync(voucherId)).GetRawText();

        var filed = await kit.Operations.PostAsJsonAsync(new Uri("/api/privacy/requests", UriKind.Relative), new { kind = "Erase", email = CustomerMail });
        var id = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var done = await Eventually.Returns(
            () => kit.Operations.GetFromJsonAsync<JsonElement>(new Uri($"/api/privacy/requests/{id}", UriKind.Relative)),
            request => request.GetProperty("status").GetString() == "Completed");

        var kept = Assert.Single(done.GetProperty("erasure").GetProperty("retainedDocuments").EnumerateArray());
        Assert.Equal(("VoucherSow", $"redemptions/{voucherId}/{sow}.pdf", referralId),
            (kept.GetProperty("kind").GetString(), kept.GetProperty("id").GetString(), kept.GetProperty("referralId").GetString()));
        Assert.Empty(await kit.MailsAsync(CustomerMail, "Your Customer Success Offer"));
        Assert.Equal(before, (await kit.GetAsync(voucherId)).GetRawText());
    }
}
