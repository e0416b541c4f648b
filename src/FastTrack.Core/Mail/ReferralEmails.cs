using System.Globalization;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Partners;
using FastTrack.Domain.Referrals;

namespace FastTrack.Core.Mail;

/// <summary>
/// The referral emails (SPEC §6), one pure function per outbox effect. The caller passes the mail id (deterministic,
/// from the outbox row) and the signed links; every email to a partner ends with its "Your referrals" link. Every value that came from a person is HTML-encoded; links too, since
/// they are attribute values.
/// </summary>
public static class ReferralEmails
{
    public const string CustomerNoticeSubject = "Your FastTrack Partner Assignment";

    /// <summary>Benefit referrals wear a blue banner and Standard ones a green one, so partners tell them apart [001].</summary>
    public const string BenefitBannerColor = "#0078D4";

    public const string StandardBannerColor = "#107C10";

    /// <summary>The label of the partner's list link, the last link of every email to a partner.</summary>
    public const string YourReferrals = "Your referrals";

    /// <summary><see cref="NotifyPartner"/>: the offer, with the link to accept or decline before the deadline.</summary>
    public static OutgoingMail PartnerNotification(
        string mailId, Referral referral, AssignmentPart part, PartnerProfile partner, ReferralContacts contacts, string respondLink, string listLink)
    {
        ArgumentNullException.ThrowIfNull(referral);
        ArgumentNullException.ThrowIfNull(part);
        ArgumentNullException.ThrowIfNull(partner);
        ArgumentNullException.ThrowIfNull(contacts);
        var due = part.DueAt is { } dueAt ? InZone(dueAt, partner.TimeZone) : "two business days after this email";
        var body = Body(referral.Type)
            .Paragraph($"{partner.Name}, you have a new {TypeName(referral.Type)} referral. Please accept or decline it by {due}.")
            .Facts(Summary(referral, part).Append(("Notes", contacts.Notes ?? "(none)")))
            .Link("Accept or decline", respondLink)
            .Paragraph("If you do not respond by then, the referral goes to another partner.")
            .Link(YourReferrals, listLink);
        return body.ToMail(
            mailId, [partner.ReferralContact], [], $"New {TypeName(referral.Type)} referral: {referral.Request.Customer.Name} (respond by {due})");
    }

    /// <summary><see cref="SendAcceptanceConfirmation"/>: the customer contact, and the link to complete or decline.</summary>
    public static OutgoingMail AcceptanceConfirmation(
        string mailId, Referral referral, AssignmentPart part, PartnerProfile partner, ReferralContacts contacts, string completeLink, string listLink)
    {
        ArgumentNullException.ThrowIfNull(referral);
        ArgumentNullException.ThrowIfNull(part);
        ArgumentNullException.ThrowIfNull(partner);
        ArgumentNullException.ThrowIfNull(contacts);
        var body = Body(referral.Type)
            .Paragraph($"{partner.Name}, thank you for accepting this {TypeName(referral.Type)} referral. Please contact the customer.")
            .Facts(Summary(referral, part).Concat(
            [
                ("Customer contact", contacts.Contact.Name),
                ("Email", contacts.Contact.Email),
                ("Phone", contacts.Contact.Phone ?? "(none)"),
                ("Notes", contacts.Notes ?? "(none)"),
            ]))
            .Paragraph("When the engagement is complete, report it with the link below. If you find you cannot deliver, decline it there so the referral goes to another partner.")
            .Link("Complete or decline", completeLink)
            .Link(YourReferrals, listLink);
        return body.ToMail(mailId, [partner.ReferralContact], [], $"Referral accepted: {referral.Request.Customer.Name}");
    }

    /// <summary><see cref="NotifyReassignedAfterTimeout"/>: the deadline passed and the part went to another partner.</summary>
    public static OutgoingMail ReassignedAfterTimeout(string mailId, Referral referral, AssignmentPart part, PartnerProfile partner, string listLink)
    {
        ArgumentNullException.ThrowIfNull(referral);
        ArgumentNullException.ThrowIfNull(part);
        ArgumentNullException.ThrowIfNull(partner);
        var body = Body(referral.Type)
            .Paragraph($"{partner.Name}, we did not receive your response to this referral within two business days, so it was reassigned to another partner. Its links no longer work.")
            .Facts(Summary(referral, part))
            .Paragraph("If you need to manage your capacity, you can pause referrals for up to 30 days.")
            .Link(YourReferrals, listLink);
        return body.ToMail(mailId, [partner.ReferralContact], [], $"Referral reassigned: {referral.Request.Customer.Name}");
    }

    /// <summary><see cref="EscalateToProcessingTeam"/>: to the referral processing team, saying why.</summary>
    public static OutgoingMail Escalation(
        string mailId, Referral referral, AssignmentPart part, ReferralContacts contacts, string reason, string processingTeamMailbox)
    {
        ArgumentNullException.ThrowIfNull(referral);
        ArgumentNullException.ThrowIfNull(part);
        ArgumentNullException.ThrowIfNull(contacts);
        var body = Body(referral.Type)
            .Paragraph($"Referral {referral.Id} needs the processing team: {reason}")
            .Facts(Summary(referral, part).Concat(
            [
                ("Referral", referral.Id),
                ("Part", part.Id),
                ("Status", part.Status.ToString()),
                ("Partner", part.PartnerId ?? "(none)"),
                ("Reassignments", part.Reassignments.ToString(CultureInfo.InvariantCulture)),
                ("Requestor", $"{contacts.Requestor.Name} <{contacts.Requestor.Email}>"),
                ("Notes", contacts.Notes ?? "(none)"),
            ]));
        return body.ToMail(mailId, [processingTeamMailbox], [], $"Escalation: referral {referral.Id} ({referral.Request.Customer.Name})");
    }

    /// <summary><see cref="SendCompletionReceipt"/>: what the partner reported when it marked the engagement complete.</summary>
    public static OutgoingMail CompletionReceipt(string mailId, Referral referral, AssignmentPart part, PartnerProfile partner, string listLink)
    {
        ArgumentNullException.ThrowIfNull(referral);
        ArgumentNullException.ThrowIfNull(part);
        ArgumentNullException.ThrowIfNull(partner);
        var completion = part.Completion
            ?? throw new ArgumentException($"Part {part.Id} of referral {referral.Id} is not complete.", nameof(part));
        var body = Body(referral.Type)
            .Paragraph($"{partner.Name}, thank you: the engagement is recorded as complete.")
            .Facts(Summary(referral, part).Concat(
            [
                ("Completed", completion.CompletedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)),
                ("Value-added services sold", completion.ValueAddedServicesSold ? "Yes" : "No"),
                ("Estimated value", $"{completion.EstimatedValue.ToString("N2", CultureInfo.InvariantCulture)} {completion.Currency}"),
                ("Notes for Microsoft", completion.Notes ?? "(none)"),
            ]))
            .Link(YourReferrals, listLink);
        return body.ToMail(mailId, [partner.ReferralContact], [], $"Engagement complete: {referral.Request.Customer.Name}");
    }

    /// <summary>
    /// <see cref="NotifyCustomerOfAssignment"/>: "Your FastTrack Partner Assignment" to the customer contact, naming the
    /// partner and its contact; a Microsoft requestor is copied (SPEC §6).
    /// </summary>
    public static OutgoingMail CustomerAssignmentNotice(
        string mailId, Referral referral, AssignmentPart part, PartnerProfile partner, ReferralContacts contacts)
    {
        ArgumentNullException.ThrowIfNull(referral);
        ArgumentNullException.ThrowIfNull(part);
        ArgumentNullException.ThrowIfNull(partner);
        ArgumentNullException.ThrowIfNull(contacts);
        var offer = referral.Type == ReferralType.Benefit
            ? $"{partner.Name} will deliver the FastTrack Benefit for {Workloads(part)} at no cost to you."
            : $"{partner.Name} will help you with {Workloads(part)}; its services are fee-based, and it will discuss scope and pricing with you.";
        var body = Body(referral.Type)
            .Paragraph($"Dear {contacts.Contact.Name},")
            .Paragraph($"Thank you for your interest in Microsoft FastTrack. {offer}")
            .Facts(
            [
                ("Partner", partner.Name),
                ("Partner contact", partner.ReferralContact),
                ("Workloads", Workloads(part)),
            ])
            .Paragraph($"{partner.Name} will contact you shortly. You can also reach it at the address above.");
        return body.ToMail(
            mailId,
            [contacts.Contact.Email],
            contacts.Requestor.IsMicrosoft ? [contacts.Requestor.Email] : [],
            CustomerNoticeSubject);
    }

    private static IEnumerable<(string Label, string Value)> Summary(Referral referral, AssignmentPart part)
    {
        var customer = referral.Request.Customer;
        return
        [
            ("Type", TypeName(referral.Type)),
            ("Customer", customer.Name),
            ("Country", customer.Country),
            ("Segment", customer.Segment == Segment.NonProfit ? "Non-profit" : customer.Segment.ToString()),
            ("Seats", customer.Seats.ToString("N0", CultureInfo.InvariantCulture)),
            ("Workloads", Workloads(part)),
        ];
    }

    private static string TypeName(ReferralType type) => type == ReferralType.Benefit ? "FastTrack Benefit" : "Standard";

    private static string Workloads(AssignmentPart part) => string.Join(", ", part.Workloads.Order().Select(WorkloadNames.DisplayName));

    /// <summary>The deadline as the partner reads it: its own wall clock, named, with the UTC offset (SPEC §8).</summary>
    private static string InZone(DateTimeOffset instant, string timeZoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return local.ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture) +
            $" ({zone.Id}, UTC{local.ToString("zzz", CultureInfo.InvariantCulture)})";
    }

    private static EmailBody Body(ReferralType type) => type == ReferralType.Benefit
        ? new EmailBody("FastTrack Benefit referral", BenefitBannerColor)
        : new EmailBody("Standard referral", StandardBannerColor);
}
