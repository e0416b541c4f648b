using FastTrack.Domain.Catalog;
using FastTrack.Domain.Vouchers;
using Xunit;
using static FastTrack.Domain.Tests.Partners;

namespace FastTrack.Domain.Tests.Vouchers;

public class VoucherEligibilityTests
{
    internal static VoucherCustomer Customer(int paidSeats = 2_000, int unusedSeats = 900) => new(
        "tpid-1",
        "tenant-1",
        Segment.Commercial,
        paidSeats,
        unusedSeats,
        new Dictionary<Workload, double>
        {
            [Workload.ExchangeOnline] = 0.45,
            [Workload.SharePointOnline] = 0.30,
            [Workload.Teams] = 0.80,
            [Workload.M365Apps] = 0.90,
        });

    internal static Nomination Nomination(VoucherCustomer? customer = null) =>
        new(customer ?? Customer(), Eligible("a"), Now.AddDays(-3), TpidAlreadyHasVoucher: false);

    private static string[] Codes(Nomination nomination, DateTimeOffset? now = null) =>
        VoucherEligibility.Check(nomination, now ?? Now).Select(v => v.Code).ToArray();

    [Fact]
    public void An_eligible_nomination_breaks_no_rule() => Assert.Empty(Codes(Nomination()));

    [Theory]
    [InlineData(Segment.Commercial, true)]
    [InlineData(Segment.Government, true)]
    [InlineData(Segment.Education, false)]
    [InlineData(Segment.NonProfit, false)]
    public void Only_commercial_and_government_customers_qualify(Segment segment, bool eligible) =>
        Assert.Equal(eligible, !Codes(Nomination(Customer() with { Segment = segment })).Contains("SegmentNotEligible"));

    [Theory]
    [InlineData(499, false)]
    [InlineData(500, true)]
    public void The_customer_needs_500_paid_eligible_seats(int seats, bool eligible) =>
        Assert.Equal(eligible, !Codes(Nomination(Customer(seats))).Contains("TooFewSeats"));

    [Theory]
    [InlineData(0.59, 0.59, 0.60, 0.60, true)]
    [InlineData(0.59, 0.60, 0.60, 0.60, false)]
    [InlineData(0.60, 0.60, 0.60, 0.60, false)]
    [InlineData(0.10, 0.99, 0.99, 0.20, true)]
    public void Usage_must_be_below_60_percent_on_at_least_two_of_the_four_workloads_and_exactly_60_is_not_below(
        double exchange, double sharePoint, double teams, double apps, bool eligible)
    {
        var usage = new Dictionary<Workload, double>
        {
            [Workload.ExchangeOnline] = exchange,
            [Workload.SharePointOnline] = sharePoint,
            [Workload.Teams] = teams,
            [Workload.M365Apps] = apps,
        };

        Assert.Equal(eligible, !Codes(Nomination(Customer() with { MonthlyActiveUsage = usage })).Contains("UsageNotLow"));
    }

    [Fact]
    public void Low_usage_of_other_workloads_does_not_count()
    {
        var usage = new Dictionary<Workload, double> { [Workload.ExchangeOnline] = 0.1, [Workload.PowerBI] = 0.1, [Workload.Intune] = 0.1 };

        Assert.Contains("UsageNotLow", Codes(Nomination(Customer() with { MonthlyActiveUsage = usage })));
    }

    [Fact]
    public void A_tpid_gets_one_voucher_ever() =>
        Assert.Equal(["TpidAlreadyHasVoucher"], Codes(Nomination() with { TpidAlreadyHasVoucher = true }));

    [Fact]
    public void The_partner_must_be_an_frp() =>
        Assert.Equal(["PartnerNotFrp"], Codes(Nomination() with { Partner = Eligible("a") with { Frp = false } }));

    [Fact]
    public void The_partner_must_have_been_sent_the_referral() =>
        Assert.Equal(["PartnerNotOnReferral"], Codes(Nomination() with { ReferralNotifiedAt = null }));

    [Theory]
    [InlineData(30, true)]
    [InlineData(31, false)]
    public void The_intention_must_come_within_30_days_of_the_referral_notification(int day, bool eligible)
    {
        var notified = new DateTimeOffset(2026, 10, 1, 23, 0, 0, TimeSpan.Zero);
        var intention = new DateTimeOffset(2026, 10, 1, 0, 30, 0, TimeSpan.Zero).AddDays(day);

        Assert.Equal(eligible, !Codes(Nomination() with { ReferralNotifiedAt = notified }, intention).Contains("IntentionTooLate"));
    }

    [Fact]
    public void Every_failing_reason_is_reported_together()
    {
        var nomination = new Nomination(
            Customer(paidSeats: 100) with { Segment = Segment.Education, MonthlyActiveUsage = new Dictionary<Workload, double>() },
            Eligible("a") with { Frp = false },
            Now.AddDays(-40),
            TpidAlreadyHasVoucher: true);

        Assert.Equal(
            ["SegmentNotEligible", "TooFewSeats", "UsageNotLow", "TpidAlreadyHasVoucher", "PartnerNotFrp", "IntentionTooLate"],
            Codes(nomination));
    }
}
