using FastTrack.Domain.Calendar;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Vouchers;
using FsCheck.Fluent;
using Xunit;
using static FastTrack.Domain.Tests.Partners;
using static FastTrack.Domain.Tests.Vouchers.VoucherEligibilityTests;

namespace FastTrack.Domain.Tests.Vouchers;

public class VoucherTests
{
    private static readonly BusinessCalendar OfferDesk = BusinessCalendar.For("Europe/Dublin", new HashSet<DateOnly>());
    private static readonly VoucherOptions Options = VoucherOptions.Default;
    private static int documents;

    private static Voucher Issue(int paidSeats = 2_000, int unusedSeats = 900) =>
        Voucher.Issue("v1", "r1", Nomination(Customer(paidSeats, unusedSeats)), Now);

    private static RedemptionSubmission Sow(Action<RedemptionSubmissionBuilder>? change = null) =>
        Build(new RedemptionSubmissionBuilder { Kind = RedemptionKind.Sow, TemplateId = "SOW-2023" }, change);

    private static RedemptionSubmission Poe(int users = 1_000, params Workload[] workloads) =>
        Build(new RedemptionSubmissionBuilder
        {
            Kind = RedemptionKind.Poe,
            TemplateId = "POE-2023",
            UsersDeployed = users,
            Workloads = workloads.Length == 0 ? [Workload.Teams, Workload.ExchangeOnline] : workloads,
        }, null);

    private static RedemptionSubmission Build(RedemptionSubmissionBuilder builder, Action<RedemptionSubmissionBuilder>? change)
    {
        change?.Invoke(builder);
        return new RedemptionSubmission(
            builder.Kind, builder.TemplateId, builder.SignedByCustomer, builder.SignedByPartner, builder.EcifFunded,
            builder.UsersDeployed, builder.Workloads.ToHashSet(),
            new RedemptionDocument("doc.pdf", $"sha-{Interlocked.Increment(ref documents)}", 1234));
    }

    internal sealed class RedemptionSubmissionBuilder
    {
        public RedemptionKind Kind { get; set; }
        public string TemplateId { get; set; } = "";
        public bool SignedByCustomer { get; set; } = true;
        public bool SignedByPartner { get; set; } = true;
        public bool EcifFunded { get; set; }
        public int? UsersDeployed { get; set; }
        public Workload[] Workloads { get; set; } = [];
    }

    private static Voucher WithApprovedSow(Voucher voucher, DateTimeOffset? at = null, RedemptionSubmission? sow = null)
    {
        var submitted = voucher.Submit("sow", sow ?? Sow(), at ?? Now, OfferDesk, Options);
        return submitted.Voucher.Decide("sow", approve: true, null, at ?? Now).Voucher;
    }

    private static string[] Codes(VoucherChange change) => change.Violations.Select(v => v.Code).ToArray();

    [Theory]
    [InlineData(500, 1, 25_000)]
    [InlineData(4_999, 1, 25_000)]
    [InlineData(5_000, 2, 50_000)]
    [InlineData(250_000, 2, 50_000)]
    public void The_tier_and_cap_follow_the_paid_seats_with_boundaries_at_500_and_5000(int seats, int tier, int cap)
    {
        var voucher = Issue(seats);

        Assert.Equal((tier, (decimal)cap), (voucher.Tier, voucher.CapUsd));
    }

    [Fact]
    public void Below_500_seats_there_is_no_tier() => Assert.Null(Voucher.TierFor(499));

    [Fact]
    public void A_usd_50000_voucher_allows_at_most_3333_users() =>
        Assert.Equal(3_333, Issue(paidSeats: 20_000, unusedSeats: 10_000).MaxUsers);

    [Fact]
    public void A_usd_25000_voucher_allows_at_most_1666_users() =>
        Assert.Equal(1_666, Issue(paidSeats: 2_000, unusedSeats: 1_900).MaxUsers);

    [Fact]
    public void Users_are_capped_by_licences_unused_at_issue() =>
        Assert.Equal(900, Issue(paidSeats: 20_000, unusedSeats: 900).MaxUsers);

    [Fact]
    public void Issuing_an_ineligible_nomination_is_a_caller_bug()
    {
        var error = Assert.Throws<VoucherNotEligibleException>(() => Voucher.Issue("v1", "r1", Nomination() with { TpidAlreadyHasVoucher = true }, Now));

        Assert.Equal("TpidAlreadyHasVoucher", Assert.Single(error.Violations).Code);
    }

    [Fact]
    public void A_voucher_issued_on_day_d_expires_on_d_plus_180_and_is_valid_through_that_day()
    {
        var issued = new DateTimeOffset(2026, 1, 10, 23, 30, 0, TimeSpan.Zero);
        var voucher = Voucher.Issue("v1", "r1", Nomination() with { ReferralNotifiedAt = issued }, issued);

        Assert.Equal(new DateOnly(2026, 7, 9), voucher.ExpiresOn);
        Assert.False(voucher.IsPastExpiry(new DateTimeOffset(2026, 7, 9, 23, 59, 59, TimeSpan.Zero)));
        Assert.True(voucher.IsPastExpiry(new DateTimeOffset(2026, 7, 10, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal([new DateOnly(2026, 6, 9), new DateOnly(2026, 7, 2)], voucher.ReminderDates);
        Assert.Equal(VoucherStatus.Issued, voucher.Status);
    }

    [Fact]
    public void A_signed_official_sow_is_received_for_review_within_two_business_days()
    {
        var friday = new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);

        var change = Issue().Submit("sow", Sow(), friday, OfferDesk, Options);

        Assert.True(change.Succeeded);
        Assert.Equal(VoucherStatus.Redeeming, change.Voucher.Status);
        var sow = Assert.Single(change.Voucher.Redemptions);
        Assert.Equal((RedemptionStatus.Received, friday), (sow.Status, sow.SubmittedAt));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 15, 0, 0, TimeSpan.Zero), sow.ReviewDueAt);
    }

    [Fact]
    public void A_sow_breaking_every_rule_is_refused_with_every_reason()
    {
        var change = Issue().Submit("sow", Sow(s => { s.TemplateId = "MY-SOW"; s.SignedByCustomer = false; s.SignedByPartner = false; s.EcifFunded = true; }), Now, OfferDesk, Options);

        Assert.Equal(["NotOfficialTemplate", "NotSignedByCustomer", "NotSignedByPartner", "EcifFunded"], Codes(change));
        Assert.Empty(change.Voucher.Redemptions);
    }

    [Fact]
    public void The_official_template_ids_are_configurable()
    {
        var options = Options with { SowTemplateIds = new HashSet<string> { "SOW-2026" } };

        Assert.True(Issue().Submit("sow", Sow(s => s.TemplateId = "SOW-2026"), Now, OfferDesk, options).Succeeded);
        Assert.Equal(["NotOfficialTemplate"], Codes(Issue().Submit("sow", Sow(), Now, OfferDesk, options)));
        Assert.Equal(["NotOfficialTemplate"], Codes(Issue().Submit("sow", Sow(s => s.TemplateId = "POE-2023"), Now, OfferDesk, Options)));
    }

    [Fact]
    public void The_same_document_dropped_twice_is_one_redemption()
    {
        var sow = Sow();
        var once = Issue().Submit("sow-1", sow, Now, OfferDesk, Options).Voucher;

        var twice = once.Submit("sow-2", sow, Now, OfferDesk, Options);

        Assert.Same(once, twice.Voucher);
        Assert.Equal("sow-1", twice.Redemption!.Id);
    }

    [Fact]
    public void A_poe_over_the_approved_sows_bytes_is_judged_as_a_poe_and_refused_for_its_own_rules_not_answered_with_the_sow()
    {
        var sow = Sow();
        var voucher = WithApprovedSow(Issue(), sow: sow);

        var tooFewUsers = voucher.Submit("poe", Poe(240) with { Document = sow.Document }, Now, OfferDesk, Options);
        var powerBi = voucher.Submit("poe", Poe(1_000, Workload.PowerBI, Workload.Teams) with { Document = sow.Document }, Now, OfferDesk, Options);
        var both = voucher.Submit("poe", Poe(10, Workload.PowerApps) with { Document = sow.Document, TemplateId = "SOW-2023" }, Now, OfferDesk, Options);

        Assert.Equal(["TooFewUsers"], Codes(tooFewUsers));
        Assert.Equal(["TooFewEligibleWorkloads"], Codes(powerBi));
        Assert.Equal(["NotOfficialTemplate", "TooFewUsers", "TooFewEligibleWorkloads"], Codes(both));
        Assert.All([tooFewUsers, powerBi, both], change => Assert.Same(voucher, change.Voucher));
    }

    [Fact]
    public void The_sows_bytes_declared_as_a_valid_poe_conflict_with_the_sow_that_holds_them()
    {
        var sow = Sow();
        var voucher = WithApprovedSow(Issue(), sow: sow);

        var conflict = voucher.Submit("poe", Poe() with { Document = sow.Document }, Now, OfferDesk, Options);

        Assert.Equal([Voucher.DocumentAlreadyHeldCode], Codes(conflict));
        Assert.Equal("sow", conflict.Redemption!.Id);
        Assert.Contains("already redemption sow of voucher v1", conflict.Violations[0].Message, StringComparison.Ordinal);
        Assert.Same(voucher, conflict.Voucher);
    }

    [Fact]
    public void The_same_poe_sent_again_as_declared_before_is_the_first_redemption_whatever_its_file_name()
    {
        var poe = Poe(300);
        var first = WithApprovedSow(Issue()).Submit("poe-1", poe, Now, OfferDesk, Options);

        var again = first.Voucher.Submit("poe-2", poe with { Document = poe.Document with { Name = "copy.pdf" } }, Now.AddHours(1), OfferDesk, Options);

        Assert.True(again.Succeeded);
        Assert.Same(first.Voucher, again.Voucher);
        Assert.Equal("poe-1", again.Redemption!.Id);
    }

    [Theory]
    [InlineData(400, "Teams,ExchangeOnline", "POE-2023")]
    [InlineData(300, "Teams,SharePointOnline", "POE-2023")]
    [InlineData(300, "Teams,ExchangeOnline,M365Apps", "POE-2023")]
    [InlineData(300, "Teams,ExchangeOnline", "POE-2026")]
    public void The_same_poe_declared_otherwise_conflicts_with_the_first(int users, string workloads, string templateId)
    {
        var options = Options with { PoeTemplateIds = new HashSet<string> { "POE-2023", "POE-2026" } };
        var poe = Poe(300);
        var first = WithApprovedSow(Issue()).Submit("poe-1", poe, Now, OfferDesk, options).Voucher;
        var otherwise = Poe(users, [.. workloads.Split(',').Select(Enum.Parse<Workload>)]) with { Document = poe.Document, TemplateId = templateId };

        var conflict = first.Submit("poe-2", otherwise, Now, OfferDesk, options);

        Assert.Equal([Voucher.DocumentAlreadyHeldCode], Codes(conflict));
        Assert.Equal("poe-1", conflict.Redemption!.Id);
        Assert.Same(first, conflict.Voucher);
    }

    [Fact]
    public void A_declaration_that_breaks_its_kinds_rules_is_refused_even_over_a_document_already_received()
    {
        var sow = Sow();
        var received = Issue().Submit("sow-1", sow, Now, OfferDesk, Options).Voucher;

        var ecif = received.Submit("sow-2", Sow(s => s.EcifFunded = true) with { Document = sow.Document }, Now, OfferDesk, Options);

        Assert.Equal(["EcifFunded"], Codes(ecif));
    }

    [Fact]
    public void After_expiry_the_same_document_is_still_the_redemption_that_holds_it_and_a_new_one_is_refused()
    {
        var sow = Sow();
        var received = Issue().Submit("sow-1", sow, Now, OfferDesk, Options).Voucher;
        var expired = new DateTimeOffset(received.ExpiredFrom.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        var again = received.Submit("sow-2", sow, expired, OfferDesk, Options);
        var another = received.Submit("sow-3", Sow(), expired, OfferDesk, Options);

        Assert.Equal("sow-1", again.Redemption!.Id);
        Assert.Equal(["VoucherExpired", "SowAlreadySubmitted"], Codes(another));
    }

    [Fact]
    public void A_redemption_keeps_its_template_id_and_one_recorded_before_template_ids_were_kept_matches_any()
    {
        var sow = Sow();
        var received = Issue().Submit("sow-1", sow, Now, OfferDesk, Options).Redemption!;

        Assert.Equal("SOW-2023", received.TemplateId);
        Assert.True((received with { TemplateId = null }).IsDeclaredAs(sow with { TemplateId = "SOW-2026" }));
        Assert.False(received.IsDeclaredAs(sow with { TemplateId = "SOW-2026" }));
    }

    [Fact]
    public void A_second_sow_waits_until_the_first_is_rejected()
    {
        var pending = Issue().Submit("sow-1", Sow(), Now, OfferDesk, Options).Voucher;
        Assert.Equal(["SowAlreadySubmitted"], Codes(pending.Submit("sow-2", Sow(), Now, OfferDesk, Options)));

        var rejected = pending.Decide("sow-1", approve: false, "unsigned page 3", Now).Voucher;
        Assert.True(rejected.Submit("sow-2", Sow(), Now, OfferDesk, Options).Succeeded);
    }

    [Fact]
    public void A_poe_needs_an_approved_sow_first() =>
        Assert.Equal(["SowNotApproved"], Codes(Issue().Submit("poe", Poe(), Now, OfferDesk, Options)));

    [Theory]
    [InlineData(249, false)]
    [InlineData(250, true)]
    public void A_poe_needs_250_users_deployed(int users, bool accepted) =>
        Assert.Equal(accepted, WithApprovedSow(Issue()).Submit("poe", Poe(users), Now, OfferDesk, Options).Succeeded);

    [Fact]
    public void A_poe_needs_two_of_the_four_eligible_workloads_and_power_bi_and_power_apps_do_not_count()
    {
        var voucher = WithApprovedSow(Issue());

        Assert.Equal(["TooFewEligibleWorkloads"], Codes(voucher.Submit("poe", Poe(1_000, Workload.Teams, Workload.PowerBI, Workload.PowerApps), Now, OfferDesk, Options)));
        Assert.Equal(["TooFewEligibleWorkloads"], Codes(voucher.Submit("poe", Poe(1_000, Workload.Teams, Workload.Intune), Now, OfferDesk, Options)));
        Assert.True(voucher.Submit("poe", Poe(1_000, Workload.Teams, Workload.M365Apps), Now, OfferDesk, Options).Succeeded);
        Assert.True(voucher.Submit("poe", Poe(1_000, Workload.ExchangeOnline, Workload.SharePointOnline), Now, OfferDesk, Options).Succeeded);
    }

    [Fact]
    public void Approving_the_poe_redeems_the_voucher_and_sets_the_payout()
    {
        var poeSubmitted = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        var voucher = WithApprovedSow(Issue(paidSeats: 2_000, unusedSeats: 1_000));
        var received = voucher.Submit("poe", Poe(1_200), poeSubmitted, OfferDesk, Options).Voucher;

        var approved = received.Decide("poe", approve: true, null, poeSubmitted.AddDays(1)).Voucher;

        Assert.Equal(VoucherStatus.Redeemed, approved.Status);
        Assert.Equal(new Payout(1_000, 15_000m, new DateOnly(2027, 1, 14)), approved.Payout);
    }

    [Fact]
    public void Payment_is_due_45_days_after_the_last_day_of_the_poe_month()
    {
        Assert.Equal(new DateOnly(2026, 4, 14), Payout.For(300, 3_333, 50_000m, new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)).DueOn);
        Assert.Equal(new DateOnly(2026, 4, 14), Payout.For(300, 3_333, 50_000m, new DateTimeOffset(2026, 2, 28, 23, 59, 0, TimeSpan.Zero)).DueOn);
        Assert.Equal(new DateOnly(2025, 2, 14), Payout.For(300, 3_333, 50_000m, new DateTimeOffset(2024, 12, 31, 12, 0, 0, TimeSpan.Zero)).DueOn);
    }

    [Fact]
    public void The_payout_never_exceeds_the_cap_and_is_15_per_user_otherwise() =>
        Properties.Hold(
            from users in Gen.Choose(0, 10_000)
            from maxUsers in Gen.Choose(0, 4_000)
            from tier in Gen.Elements(1, 2)
            select (users, maxUsers, cap: Voucher.CapFor(tier)),
            t =>
            {
                var payout = Payout.For(t.users, t.maxUsers, t.cap, Now);
                Assert.True(payout.AmountUsd <= t.cap);
                Assert.Equal(Math.Min(t.users, t.maxUsers), payout.Users);
                if (15m * payout.Users <= t.cap)
                {
                    Assert.Equal(15m * payout.Users, payout.AmountUsd);
                }
                else
                {
                    Assert.Equal(t.cap, payout.AmountUsd);
                }
            });

    [Fact]
    public void A_rejection_needs_a_reason_and_a_decision_is_made_once()
    {
        var received = Issue().Submit("sow", Sow(), Now, OfferDesk, Options).Voucher;

        Assert.Equal(["ReasonRequired"], Codes(received.Decide("sow", approve: false, " ", Now)));
        var rejected = received.Decide("sow", approve: false, "not the official template", Now);
        Assert.Equal((RedemptionStatus.Rejected, "not the official template"), (rejected.Redemption!.Status, rejected.Redemption.Reason));
        Assert.Equal(["AlreadyDecided"], Codes(rejected.Voucher.Decide("sow", approve: true, null, Now)));
        Assert.Equal(["RedemptionNotFound"], Codes(rejected.Voucher.Decide("nope", approve: true, null, Now)));
    }

    [Fact]
    public void Both_sow_and_poe_must_be_submitted_and_approved_by_the_expiry_date()
    {
        var voucher = Issue();
        var lastDay = voucher.ExpiresOn.ToDateTime(new TimeOnly(23, 0), DateTimeKind.Utc);
        var afterExpiry = new DateTimeOffset(lastDay.AddHours(2));
        var received = voucher.Submit("sow", Sow(), new DateTimeOffset(lastDay), OfferDesk, Options).Voucher;

        Assert.Equal(["VoucherExpired"], Codes(received.Decide("sow", approve: true, null, afterExpiry)));
        Assert.Equal(["VoucherExpired"], Codes(voucher.Submit("sow", Sow(), afterExpiry, OfferDesk, Options)));
        Assert.True(received.Decide("sow", approve: false, "too late", afterExpiry).Succeeded);
    }

    [Fact]
    public void The_expiry_sweep_expires_a_voucher_past_its_date_without_an_approved_poe()
    {
        var voucher = WithApprovedSow(Issue());
        var lastDay = new DateTimeOffset(voucher.ExpiresOn.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc));

        Assert.False(voucher.Expire(lastDay).Succeeded);
        var expired = voucher.Expire(lastDay.AddDays(1));
        Assert.Equal(VoucherStatus.Expired, expired.Voucher.Status);
        Assert.False(expired.Voucher.Expire(lastDay.AddDays(2)).Succeeded);
        Assert.Equal(["VoucherExpired"], Codes(expired.Voucher.Submit("poe", Poe(), lastDay.AddDays(-1), OfferDesk, Options)));
    }

    [Fact]
    public void A_redeemed_voucher_never_expires()
    {
        var voucher = WithApprovedSow(Issue());
        var redeemed = voucher.Submit("poe", Poe(), Now, OfferDesk, Options).Voucher.Decide("poe", approve: true, null, Now).Voucher;

        Assert.False(redeemed.Expire(Now.AddDays(400)).Succeeded);
        Assert.Equal(VoucherStatus.Redeemed, redeemed.Status);
        Assert.Equal(["AlreadyRedeemed", "PoeAlreadySubmitted"], Codes(redeemed.Submit("poe2", Poe(), Now, OfferDesk, Options)));
    }

    [Fact]
    public void Reminders_go_out_30_and_7_days_before_expiry_once_each_and_not_before_their_day()
    {
        var voucher = Issue();
        var first = voucher.ReminderDates[0];
        var onTheDay = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        Assert.Equal(["NoReminder"], Codes(voucher.Remind(first, onTheDay.AddSeconds(-1))));
        var reminded = voucher.Remind(first, onTheDay);
        Assert.True(reminded.Succeeded);
        Assert.Equal([first], reminded.Voucher.RemindersSent);
        Assert.Equal(["NoReminder"], Codes(reminded.Voucher.Remind(first, onTheDay.AddDays(1))));
        Assert.Equal(["NoReminder"], Codes(voucher.Remind(first.AddDays(1), onTheDay.AddDays(1))));
    }

    [Fact]
    public void No_reminder_for_a_redeemed_or_expired_voucher()
    {
        var voucher = Issue();
        var second = voucher.ReminderDates[1];
        var onTheDay = new DateTimeOffset(second.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var expired = voucher.Expire(new DateTimeOffset(voucher.ExpiredFrom.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)).Voucher;

        Assert.Equal(["NoReminder"], Codes((voucher with { Status = VoucherStatus.Redeemed }).Remind(second, onTheDay)));
        Assert.Equal(["NoReminder"], Codes(expired.Remind(second, onTheDay.AddDays(30))));
        Assert.Equal(voucher.ExpiresOn.AddDays(1), voucher.ExpiredFrom);
    }
}
