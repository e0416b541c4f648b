using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;
using FastTrack.Domain.Referrals;
using FastTrack.Domain.Vouchers;
using FastTrack.Core.Links;
using Xunit;

namespace FastTrack.DevHost.Tests.Links;

public sealed class LinkPagesTests
{
    private const string Hostile = "<script>alert('x')</script>\"&";

    private static readonly DateTimeOffset DueAt = new(2026, 11, 24, 20, 0, 0, TimeSpan.Zero);

    private static AssignmentSummary Summary(LinkPurpose purpose = LinkPurpose.Respond, PartStatus status = PartStatus.Offered, string customerName = "Contoso", ReferralType type = ReferralType.Benefit)
    {
        var customer = new Customer("tenant", "tpid", customerName, "US", "en", Segment.NonProfit, 1500);
        var request = new MatchRequest(customer, type, new HashSet<Workload> { Workload.Teams, Workload.ExchangeOnline }, new Dictionary<string, IReadOnlySet<Workload>>());
        var part = new AssignmentPart("p1", new HashSet<Workload> { Workload.Teams, Workload.ExchangeOnline }, status, "contoso-partner", 1, DueAt.AddDays(-2), DueAt, new HashSet<string>());
        var referral = new Referral("r1", request, [part]);
        return AssignmentSummary.For(purpose, referral, part, "America/New_York");
    }

    [Fact]
    public void The_respond_page_shows_the_summary_with_the_deadline_in_the_partners_zone()
    {
        var html = LinkPages.Assignment(Summary());

        Assert.Contains("<h1>FastTrack Benefit referral: Contoso</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<dd>Exchange Online, Teams</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd>Non-profit</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd>1,500</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd>Tuesday 24 November 2026, 15:00 (America/New_York)</dd>", html, StringComparison.Ordinal);
        Assert.Contains("class=\"banner benefit\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_respond_page_offers_accept_and_decline_with_every_reason_and_posts_back_to_itself()
    {
        var html = LinkPages.Assignment(Summary());

        Assert.Contains("name=\"action\" value=\"accept\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"action\" value=\"decline\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"complete\"", html, StringComparison.Ordinal);
        foreach (var reason in Enum.GetNames<DeclineReason>())
        {
            Assert.Contains($"<option value=\"{reason}\">", html, StringComparison.Ordinal);
        }

        Assert.Equal(2, html.Split("<form method=\"post\"").Length - 1);
        Assert.DoesNotContain(" action=", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_engagement_page_offers_complete_with_its_fields_and_decline()
    {
        var html = LinkPages.Assignment(Summary(LinkPurpose.Engagement, PartStatus.Active, type: ReferralType.Standard));

        Assert.Contains("name=\"action\" value=\"complete\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"valueAddedServicesSold\" value=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"valueAddedServicesSold\" value=\"false\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"estimatedValue\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"currency\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"action\" value=\"decline\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"accept\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Respond by", html, StringComparison.Ordinal);
        Assert.Contains("class=\"banner standard\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_completed_part_has_no_buttons()
    {
        var html = LinkPages.Assignment(Summary(LinkPurpose.Engagement, PartStatus.Completed));

        Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
        Assert.Contains("nothing more to do", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_values_are_encoded_and_no_page_carries_script()
    {
        var pages = new[]
        {
            LinkPages.Assignment(Summary(customerName: Hostile)),
            LinkPages.Assignment(Summary(LinkPurpose.Engagement, PartStatus.Active, Hostile)),
            LinkPages.Result(LinkResult.ForDecision(DecisionOutcome.Refused, Hostile, ReferralStatus.Active)),
            LinkPages.Result(LinkResult.ForFormProblems(new LinkActionBinding(null, new Dictionary<string, string[]> { ["notes"] = [Hostile] }))),
        };

        foreach (var html in pages)
        {
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Hostile, html, StringComparison.Ordinal);
            Assert.DoesNotContain("'x'", html, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
            Assert.DoesNotContain(" on", html.Replace(" one", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(DecisionOutcome.Accepted, "Referral accepted", false)]
    [InlineData(DecisionOutcome.Declined, "Referral declined", false)]
    [InlineData(DecisionOutcome.Completed, "Engagement marked complete", false)]
    [InlineData(DecisionOutcome.AlreadyDone, "Already done", true)]
    [InlineData(DecisionOutcome.Refused, "Your request was not accepted", true)]
    [InlineData(DecisionOutcome.Stale, "This link has been superseded", true)]
    [InlineData(DecisionOutcome.Invalid, "This link is not valid", true)]
    public void The_result_page_names_the_outcome_and_says_when_nothing_changed(DecisionOutcome outcome, string heading, bool unchanged)
    {
        var result = LinkResult.ForDecision(outcome, "The message.", ReferralStatus.Active);

        var html = LinkPages.Result(result);

        Assert.Contains($"<h1>{heading}</h1>", html, StringComparison.Ordinal);
        Assert.Contains($"<p class=\"message\">{result.Message}</p>", html, StringComparison.Ordinal);
        Assert.Contains("Referral status: <strong>Active</strong>", html, StringComparison.Ordinal);
        Assert.Equal(unchanged, html.Contains("Nothing was changed.", StringComparison.Ordinal));
    }

    [Fact]
    public void The_expired_and_invalid_pages_say_what_happened_and_that_nothing_changed()
    {
        var expired = LinkPages.Result(LinkResult.ForVerification(new LinkVerification.Expired(new VoucherLinkClaims("v", "p", DueAt))));
        var invalid = LinkPages.Result(LinkResult.NotFound());

        Assert.Contains("<h1>This link has expired</h1>", expired, StringComparison.Ordinal);
        Assert.Contains("expired on Tuesday 24 November 2026 at 20:00 UTC", expired, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed.", expired, StringComparison.Ordinal);
        Assert.Contains("<h1>This link is not valid</h1>", invalid, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed.", invalid, StringComparison.Ordinal);
    }

    [Fact]
    public void The_form_problems_page_lists_each_problem()
    {
        var binding = LinkAction.Bind(
            new Microsoft.AspNetCore.Http.FormCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { ["action"] = "complete" }),
            LinkPurpose.Engagement);

        var html = LinkPages.Result(LinkResult.ForFormProblems(binding));

        Assert.Contains("<h1>Please correct the form</h1>", html, StringComparison.Ordinal);
        Assert.Equal(3, html.Split("<li>").Length - 1);
        Assert.Contains("<a href=\"\">Back to the referral</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_voucher_page_shows_the_voucher_and_an_upload_form_posting_back_to_the_link()
    {
        var voucher = Voucher(VoucherStatus.Redeeming, "<b>sow</b>.pdf");

        var html = LinkPages.Voucher(voucher, Hostile);

        Assert.Contains("<dd>2: up to USD 50,000</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd>3,333</dd>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;sow&lt;/b&gt;.pdf", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Hostile, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\" enctype=\"multipart/form-data\"", html, StringComparison.Ordinal);
        foreach (var field in new[] { "kind", "templateId", "signedByCustomer", "signedByPartner", "ecifFunded", "usersDeployed", "workloads", "file" })
        {
            Assert.Contains($"name=\"{field}\"", html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("value=\"PowerBI\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expired_voucher_has_no_upload_form()
    {
        Assert.DoesNotContain("<form", LinkPages.Voucher(Voucher(VoucherStatus.Expired, "sow.pdf"), null), StringComparison.Ordinal);
    }

    private static Voucher Voucher(VoucherStatus status, string documentName) => new(
        "v1", "r1", "tpid-1", "tenant-1", "contoso", 2, 50_000m, 3_333, DueAt, DateOnly.FromDateTime(DueAt.UtcDateTime).AddDays(180), status,
        [new Redemption("d1", RedemptionKind.Sow, RedemptionStatus.Received, DueAt, DueAt.AddDays(2), null, null, null, new HashSet<Workload>(), new RedemptionDocument(documentName, "abc", 10))]);
}
