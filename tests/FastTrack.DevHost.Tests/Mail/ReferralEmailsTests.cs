using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;
using FastTrack.Domain.Partners;
using FastTrack.Domain.Referrals;
using FastTrack.Core.Mail;
using FastTrack.DevHost.DevTools;
using Xunit;

namespace FastTrack.DevHost.Tests.Mail;

public sealed class ReferralEmailsTests
{
    private const string Hostile = "<script>alert(1)</script> Fabrikam & Sons";
    private const string RespondLink = "https://fasttrack.example/api/links/tok?a=1&b=2";
    private const string ListLink = "https://fasttrack.example/api/links/list";

    // Friday 2026-11-27 20:00 UTC is 15:00 in New York (EST, UTC-5) and Saturday 05:00 in Tokyo.
    private static readonly DateTimeOffset DueAt = new(2026, 11, 27, 20, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> AllEmails => ["notify", "accepted", "reassigned", "escalation", "receipt", "customer"];

    [Theory]
    [MemberData(nameof(AllEmails))]
    public void Every_email_encodes_what_people_typed(string email)
    {
        var mail = Render(email, ReferralType.Standard, requestorIsMicrosoft: true, customerName: Hostile, notes: Hostile, contactName: Hostile);

        Assert.DoesNotContain("<script>", mail.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("& Sons", mail.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", mail.Html, StringComparison.Ordinal);
        Assert.Contains("&amp; Sons", mail.Html, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllEmails))]
    public void Every_email_has_the_banner_of_its_referral_type(string email)
    {
        var benefit = Render(email, ReferralType.Benefit);
        var standard = Render(email, ReferralType.Standard);

        Assert.Contains(ReferralEmails.BenefitBannerColor, benefit.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(ReferralEmails.StandardBannerColor, benefit.Html, StringComparison.Ordinal);
        Assert.Contains(ReferralEmails.StandardBannerColor, standard.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(ReferralEmails.BenefitBannerColor, standard.Html, StringComparison.Ordinal);
        Assert.StartsWith("[FastTrack Benefit referral]", benefit.Text, StringComparison.Ordinal);
        Assert.StartsWith("[Standard referral]", standard.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("America/New_York", "Friday 27 November 2026, 15:00 (America/New_York, UTC-05:00)")]
    [InlineData("Asia/Tokyo", "Saturday 28 November 2026, 05:00 (Asia/Tokyo, UTC+09:00)")]
    public void The_partner_notification_shows_the_deadline_in_the_partners_time_zone(string zone, string expected)
    {
        var mail = Render("notify", ReferralType.Standard, partnerZone: zone);

        Assert.Contains(expected, mail.Html, StringComparison.Ordinal);
        Assert.Contains(expected, mail.Text, StringComparison.Ordinal);
        Assert.Contains(expected, mail.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void The_partner_notification_summarises_the_part_and_carries_the_respond_link()
    {
        var mail = Render("notify", ReferralType.Benefit);

        Assert.Equal("mail-1", mail.Id);
        Assert.Equal(["referrals@partner.example"], mail.To);
        Assert.Empty(mail.Cc);
        foreach (var fact in new[] { "Contoso", "US", "Education", "2,500", "Exchange Online, Teams" })
        {
            Assert.Contains(fact, mail.Html, StringComparison.Ordinal);
            Assert.Contains(fact, mail.Text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Intune", mail.Html, StringComparison.Ordinal);
        Assert.Equal([RespondLink, ListLink], DevMailbox.Links(mail.Html));
        Assert.Contains(RespondLink, mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_acceptance_confirmation_gives_the_customer_contact_and_the_complete_link()
    {
        var mail = Render("accepted", ReferralType.Standard);

        Assert.Contains("Ana Contact", mail.Html, StringComparison.Ordinal);
        Assert.Contains("ana@contoso.example", mail.Html, StringComparison.Ordinal);
        Assert.Contains("+1 555 0100", mail.Html, StringComparison.Ordinal);
        Assert.Equal(["https://fasttrack.example/api/links/complete", ListLink], DevMailbox.Links(mail.Html));
    }

    [Theory]
    [InlineData("notify")]
    [InlineData("accepted")]
    [InlineData("reassigned")]
    [InlineData("receipt")]
    public void Every_email_to_the_partner_ends_with_its_Your_referrals_link(string email)
    {
        var mail = Render(email, ReferralType.Standard);

        Assert.Equal(ListLink, DevMailbox.Links(mail.Html)[^1]);
        Assert.Contains(ReferralEmails.YourReferrals, mail.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("escalation")]
    [InlineData("customer")]
    public void Emails_to_others_carry_no_partner_list_link(string email) =>
        Assert.DoesNotContain(ListLink, Render(email, ReferralType.Standard).Html, StringComparison.Ordinal);

    [Fact]
    public void The_escalation_goes_to_the_processing_team_and_says_why()
    {
        var mail = Render("escalation", ReferralType.Standard, notes: "n");

        Assert.Equal(["processing@example.com"], mail.To);
        Assert.Contains("No eligible partner is left.", mail.Html, StringComparison.Ordinal);
        Assert.Contains("r-42", mail.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void The_completion_receipt_repeats_what_the_partner_reported()
    {
        var mail = Render("receipt", ReferralType.Standard);

        Assert.Contains("12,000.00 EUR", mail.Html, StringComparison.Ordinal);
        Assert.Contains("Value-added services sold: Yes", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_completion_receipt_refuses_a_part_that_is_not_complete()
    {
        var referral = NewReferral(ReferralType.Standard, "Contoso");
        var open = referral.Parts[0] with { Completion = null };

        Assert.Throws<ArgumentException>(() => ReferralEmails.CompletionReceipt("m", referral, open, NewPartner("UTC"), ListLink));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_customer_notice_copies_the_requestor_only_when_from_Microsoft(bool isMicrosoft)
    {
        var mail = Render("customer", ReferralType.Standard, requestorIsMicrosoft: isMicrosoft);

        Assert.Equal(ReferralEmails.CustomerNoticeSubject, mail.Subject);
        Assert.Equal("Your FastTrack Partner Assignment", mail.Subject);
        Assert.Equal(["ana@contoso.example"], mail.To);
        Assert.Equal(isMicrosoft ? ["seller@microsoft.com"] : [], mail.Cc);
        Assert.Contains("Northwind Partners", mail.Html, StringComparison.Ordinal);
        Assert.Contains("referrals@partner.example", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_customer_notice_words_Benefit_and_Standard_referrals_differently()
    {
        var benefit = Render("customer", ReferralType.Benefit);
        var standard = Render("customer", ReferralType.Standard);

        Assert.Contains("FastTrack Benefit", benefit.Text, StringComparison.Ordinal);
        Assert.Contains("at no cost", benefit.Text, StringComparison.Ordinal);
        Assert.Contains("fee-based", standard.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("at no cost", standard.Text, StringComparison.Ordinal);
    }

    private static OutgoingMail Render(
        string email,
        ReferralType type,
        bool requestorIsMicrosoft = true,
        string customerName = "Contoso",
        string? notes = "Wants Teams first.",
        string contactName = "Ana Contact",
        string partnerZone = "America/New_York")
    {
        var referral = NewReferral(type, customerName);
        var part = referral.Parts[0];
        var partner = NewPartner(partnerZone);
        var contacts = new ReferralContacts(
            new Requestor("Sam Seller", requestorIsMicrosoft ? "seller@microsoft.com" : "it@contoso.example", requestorIsMicrosoft),
            new CustomerContact(contactName, "ana@contoso.example", "+1 555 0100"),
            notes);
        return email switch
        {
            "notify" => ReferralEmails.PartnerNotification("mail-1", referral, part, partner, contacts, RespondLink, ListLink),
            "accepted" => ReferralEmails.AcceptanceConfirmation("mail-1", referral, part, partner, contacts, "https://fasttrack.example/api/links/complete", ListLink),
            "reassigned" => ReferralEmails.ReassignedAfterTimeout("mail-1", referral, part, partner, ListLink),
            "escalation" => ReferralEmails.Escalation("mail-1", referral, part, contacts, "No eligible partner is left.", "processing@example.com"),
            "receipt" => ReferralEmails.CompletionReceipt("mail-1", referral, part, partner, ListLink),
            "customer" => ReferralEmails.CustomerAssignmentNotice("mail-1", referral, part, partner, contacts),
            _ => throw new ArgumentOutOfRangeException(nameof(email), email, null),
        };
    }

    private static Referral NewReferral(ReferralType type, string customerName)
    {
        var request = new MatchRequest(
            new Customer("tenant-1", "tpid-1", customerName, "US", "en", Segment.Education, 2500),
            type,
            new HashSet<Workload> { Workload.ExchangeOnline, Workload.Teams, Workload.Intune },
            new Dictionary<string, IReadOnlySet<Workload>>());
        var part = new AssignmentPart(
            "p1",
            new HashSet<Workload> { Workload.Teams, Workload.ExchangeOnline },
            PartStatus.Offered,
            "northwind",
            1,
            DueAt.AddDays(-4),
            DueAt,
            new HashSet<string>(),
            new Completion(true, 12_000m, "EUR", "Sold a " + Hostile + " workshop", DueAt));
        return new Referral("r-42", request, [part]);
    }

    private static PartnerProfile NewPartner(string zone) => new(
        "northwind", "Northwind Partners", Fpc: true, Frp: true, ReferralReady: true, BenefitReferrals: true,
        "US", new HashSet<string> { "US" }, new HashSet<string> { "en" }, new HashSet<Segment> { Segment.Education },
        150, 100_000, new HashSet<Workload> { Workload.Teams, Workload.ExchangeOnline },
        "referrals@partner.example", zone, "fpm@microsoft.com");
}
