using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.Core.Vouchers;
using Xunit;
using static FastTrack.DevHost.Tests.Vouchers.VoucherTestKit;

namespace FastTrack.DevHost.Tests.Vouchers;

/// <summary>Issuing vouchers, the offer desk's decisions and the payout, through the HTTP contract on Azurite.</summary>
public sealed class VoucherLifecycleTests
{
    [Fact]
    public async Task The_intention_issues_a_voucher_and_tells_the_partner_with_the_fpm_copied_and_the_customer()
    {
        await using var kit = await StartAsync();
        var referralId = await kit.ReferAsync("issue");

        var response = await kit.IssueAsync(referralId);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var voucher = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = voucher.GetProperty("id").GetString()!;
        Assert.Equal($"/api/vouchers/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("tpid-issue", voucher.GetProperty("tpid").GetString());
        Assert.Equal(1, voucher.GetProperty("tier").GetInt32());
        Assert.Equal(25_000m, voucher.GetProperty("capUsd").GetDecimal());
        Assert.Equal(900, voucher.GetProperty("maxUsers").GetInt32()); // unused licences, below 25,000 / 15
        Assert.Equal("Issued", voucher.GetProperty("status").GetString());
        var issuedOn = DateOnly.FromDateTime(voucher.GetProperty("issuedAt").GetDateTimeOffset().UtcDateTime);
        Assert.Equal(issuedOn.AddDays(180), DateOnly.Parse(voucher.GetProperty("expiresOn").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(voucher.GetRawText(), (await kit.GetAsync(id)).GetRawText());

        var partnerMail = await kit.Referrals.WaitForMailAsync(PartnerMail, "Customer Success Offer voucher issued");
        Assert.Equal([FpmMail], partnerMail.GetProperty("cc").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains("/api/links/", Referrals.ReferralTestKit.LinkIn(partnerMail), StringComparison.Ordinal);
        var listLink = Links.PartnerReferralListTests.ListLinkIn(partnerMail);
        Assert.NotEqual(Referrals.ReferralTestKit.LinkIn(partnerMail), listLink);
        Assert.Contains("Your referrals", await kit.Referrals.Anonymous.GetStringAsync(new Uri(new Uri(listLink).PathAndQuery, UriKind.Relative)), StringComparison.Ordinal);
        await kit.Referrals.WaitForMailAsync(CustomerMail, "Your Customer Success Offer");
        var issued = Assert.Single(await kit.WaitForEventsAsync(id, "voucher.issued"));
        Assert.Equal((referralId, PartnerId, $"vouchers/{id}"), (issued.ReferralId, issued.PartnerId, issued.Subject));
    }

    [Fact]
    public async Task Asking_again_returns_the_same_voucher_and_the_tpid_never_gets_a_second()
    {
        await using var kit = await StartAsync();
        var referralId = await kit.ReferAsync("twice");
        var first = await kit.IssuedAsync(referralId);
        await kit.Referrals.PutPartnerAsync("p2");

        var again = await kit.IssueAsync(referralId);
        var otherPartner = await kit.IssueAsync(referralId, "p2");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.GetProperty("id").GetString(), (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherPartner.StatusCode);
        Assert.Equal(["PartnerNotOnReferral", "TpidAlreadyHasVoucher"], await CodesAsync(otherPartner));
        Assert.Equal(1, await VoucherRowsAsync(kit));
    }

    [Fact]
    public async Task Every_eligibility_failure_is_listed_and_nothing_is_stored()
    {
        await using var kit = await StartAsync();
        await kit.Referrals.PutPartnerAsync(PartnerId, partner => (partner["frp"], partner["benefitReferrals"]) = (false, false));
        var referralId = await kit.ReferAsync("ineligible", customer =>
        {
            customer["segment"] = "Education";
            customer["licenses"] = new System.Text.Json.Nodes.JsonObject { ["paidEligibleSeats"] = 499, ["unusedEligibleSeats"] = 400 };
            customer["monthlyActiveUsage"]!["Teams"] = 0.60;
        });

        var response = await kit.IssueAsync(referralId);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(["PartnerNotFrp", "SegmentNotEligible", "TooFewSeats", "UsageNotLow"], await CodesAsync(response));
        Assert.Equal(0, await kit.Referrals.CountRowsAsync(VoucherStore.TableName));
        Assert.Equal(0, await kit.Referrals.CountRowsAsync(VoucherCalendar.TableName));
    }

    [Theory]
    [InlineData("NonProfit")]
    [InlineData("Education")]
    public async Task Education_and_non_profit_customers_never_get_a_voucher(string segment)
    {
        await using var kit = await StartAsync();
        var referralId = await kit.ReferAsync("segment", customer => customer["segment"] = segment);

        Assert.Equal(["SegmentNotEligible"], await CodesAsync(await kit.IssueAsync(referralId)));
    }

    [Fact]
    public async Task Tier_2_starts_at_5000_seats_and_caps_users_at_3333()
    {
        await using var kit = await StartAsync();
        var tier1 = await kit.ReferAsync("s4999", c => c["licenses"] = new System.Text.Json.Nodes.JsonObject { ["paidEligibleSeats"] = 4_999, ["unusedEligibleSeats"] = 4_000 });
        var tier2 = await kit.ReferAsync("s5000", c => c["licenses"] = new System.Text.Json.Nodes.JsonObject { ["paidEligibleSeats"] = 5_000, ["unusedEligibleSeats"] = 4_000 });

        var one = await kit.IssuedAsync(tier1);
        var two = await kit.IssuedAsync(tier2);

        Assert.Equal((1, 25_000m, 1_666), (one.GetProperty("tier").GetInt32(), one.GetProperty("capUsd").GetDecimal(), one.GetProperty("maxUsers").GetInt32()));
        Assert.Equal((2, 50_000m, 3_333), (two.GetProperty("tier").GetInt32(), two.GetProperty("capUsd").GetDecimal(), two.GetProperty("maxUsers").GetInt32()));
    }

    [Fact]
    public async Task The_intention_counts_on_day_30_after_the_notification_and_not_on_day_31()
    {
        await using var kit = await StartAsync();
        var onTime = await kit.ReferAsync("day30");
        var late = await kit.ReferAsync("day31");
        foreach (var offer in new[] { 1, 2 })
        {
            // Accepted: an offer left open would time out when the clock moves a month, and leave the partner off the referral.
            var mail = await kit.Referrals.WaitForMailAsync(PartnerMail, "New ", offer);
            Assert.Equal(HttpStatusCode.OK, (await kit.Referrals.ActAsync(Referrals.ReferralTestKit.LinkIn(mail), "accept")).Status);
        }

        var notifiedAt = ReferralTestKitExtensions.OfferedAt(await kit.Referrals.GetReferralAsync(late));
        var day30 = new DateTimeOffset(DateOnly.FromDateTime(notifiedAt.UtcDateTime).AddDays(30).ToDateTime(new TimeOnly(23, 59)), TimeSpan.Zero);

        await kit.Referrals.SetClockAsync(day30);
        Assert.Equal(HttpStatusCode.Created, (await kit.IssueAsync(onTime)).StatusCode);
        await kit.Referrals.SetClockAsync(day30.AddMinutes(2));
        Assert.Equal(["IntentionTooLate"], await CodesAsync(await kit.IssueAsync(late)));
    }

    [Fact]
    public async Task Unknown_referral_or_partner_is_422_and_a_bad_body_is_400_naming_each_field()
    {
        await using var kit = await StartAsync();

        var unknown = await kit.IssueAsync("no-such-referral", "no-such-partner");
        var empty = await kit.Operations.PostAsJsonAsync(new Uri("/api/vouchers", UriKind.Relative), new { });
        var intake = await kit.Referrals.Intake.PostAsJsonAsync(new Uri("/api/vouchers", UriKind.Relative), new { referralId = "r", partnerId = "p" });

        Assert.Equal(["PartnerNotFound", "ReferralNotFound"], await CodesAsync(unknown));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var errors = (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("referralId", out _) && errors.TryGetProperty("partnerId", out _), errors.GetRawText());
        Assert.Equal(HttpStatusCode.Forbidden, intake.StatusCode);
    }

    [Fact]
    public async Task Approving_the_sow_then_the_poe_redeems_the_voucher_with_users_capped_and_payment_due_45_days_after_the_month()
    {
        await using var kit = await StartAsync();
        var id = (await kit.IssuedAsync(await kit.ReferAsync("payout"))).GetProperty("id").GetString()!;

        var sow = await kit.SubmitSowAsync(id);
        Assert.Equal("Redeeming", (await kit.GetAsync(id)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await kit.DecideAsync(id, sow, approve: true)).StatusCode);
        await kit.Referrals.WaitForMailAsync(PartnerMail, "SOW approved");
        var poe = await kit.SubmitPoeAsync(id, usersDeployed: 5_000);
        var decided = await kit.DecideAsync(id, poe, approve: true);

        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        var voucher = await decided.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Redeemed", voucher.GetProperty("status").GetString());
        var payout = voucher.GetProperty("payout");
        Assert.Equal(900, payout.GetProperty("users").GetInt32());
        Assert.Equal(13_500m, payout.GetProperty("amountUsd").GetDecimal());
        var submitted = voucher.GetProperty("redemptions")[1].GetProperty("submittedAt").GetDateTimeOffset().UtcDateTime;
        var monthEnd = new DateOnly(submitted.Year, submitted.Month, DateTime.DaysInMonth(submitted.Year, submitted.Month));
        Assert.Equal(monthEnd.AddDays(45).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), payout.GetProperty("dueOn").GetString());
        var mail = await kit.Referrals.WaitForMailAsync(PartnerMail, "POE approved");
        Assert.Contains("USD 13,500 for 900 users", mail.GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.Equal(["voucher.issued", "voucher.redeemed"], (await kit.WaitForEventsAsync(id, "voucher.redeemed")).Select(e => e.Type).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_rejection_needs_a_reason_is_emailed_and_a_decision_is_made_once()
    {
        await using var kit = await StartAsync();
        var id = (await kit.IssuedAsync(await kit.ReferAsync("reject"))).GetProperty("id").GetString()!;
        var sow = await kit.SubmitSowAsync(id);

        var noReason = await kit.DecideAsync(id, sow, approve: false);
        var rejected = await kit.DecideAsync(id, sow, approve: false, reason: "The customer's signature is missing on page 3.");
        var again = await kit.DecideAsync(id, sow, approve: true);
        var unknown = await kit.DecideAsync(id, "no-such-redemption", approve: true);
        var operations = await kit.Operations.PostAsJsonAsync(new Uri($"/api/vouchers/{id}/redemptions/{sow}/decision", UriKind.Relative), new { approve = true });

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal(["AlreadyDecided"], await CodesAsync(again));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, operations.StatusCode);
        var redemption = (await kit.GetAsync(id)).GetProperty("redemptions")[0];
        Assert.Equal(("Rejected", "The customer's signature is missing on page 3."), (redemption.GetProperty("status").GetString(), redemption.GetProperty("reason").GetString()));
        var mail = await kit.Referrals.WaitForMailAsync(PartnerMail, "SOW rejected");
        Assert.Contains("signature is missing on page 3", mail.GetProperty("html").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redemption_waiting_past_two_business_days_is_listed_as_overdue_until_decided()
    {
        await using var kit = await StartAsync();
        var id = (await kit.IssuedAsync(await kit.ReferAsync("overdue"))).GetProperty("id").GetString()!;
        var sow = await kit.SubmitSowAsync(id);
        var dueAt = (await kit.GetAsync(id)).GetProperty("redemptions")[0].GetProperty("reviewDueAt").GetDateTimeOffset();

        Assert.Empty((await kit.OverdueAsync()).EnumerateArray());
        await kit.Referrals.SetClockAsync(dueAt.AddMinutes(1));
        var overdue = Assert.Single((await kit.OverdueAsync()).EnumerateArray());
        Assert.Equal((id, sow), (overdue.GetProperty("voucherId").GetString(), overdue.GetProperty("redemption").GetProperty("id").GetString()));

        await kit.DecideAsync(id, sow, approve: true);
        Assert.Empty((await kit.OverdueAsync()).EnumerateArray());
    }

    private static async Task<string[]> CodesAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. problem.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("code").GetString()!).Order(StringComparer.Ordinal)];
    }

    /// <summary>The vouchers' rows without their outbox rows, in one read (the outbox empties as its effects are done).</summary>
    private static async Task<int> VoucherRowsAsync(VoucherTestKit kit) =>
        (await kit.Referrals.RowsAsync(VoucherStore.TableName)).Count(row => !row.RowKey.StartsWith("outbox-", StringComparison.Ordinal));
}

internal static class ReferralTestKitExtensions
{
    /// <summary>When the referral's first part was offered: the partner's notification.</summary>
    public static DateTimeOffset OfferedAt(JsonElement referral) =>
        referral.GetProperty("parts")[0].GetProperty("offeredAt").GetDateTimeOffset();
}
