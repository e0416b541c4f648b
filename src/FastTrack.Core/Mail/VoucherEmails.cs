using System.Globalization;
using FastTrack.Domain.Partners;
using FastTrack.Domain.Vouchers;

namespace FastTrack.Core.Mail;

/// <summary>
/// The Customer Success Offer emails (SPEC §9), one pure function per voucher outbox effect. Partner emails go to its
/// referral contact with the partner's FPM copied, and carry the voucher link for the next upload.
/// </summary>
public static class VoucherEmails
{
    public const string BannerColor = "#5C2D91";

    public static OutgoingMail Issued(string mailId, Voucher voucher, PartnerProfile partner, string customerName, string voucherLink, string listLink)
    {
        ArgumentNullException.ThrowIfNull(voucher);
        ArgumentNullException.ThrowIfNull(partner);
        var body = Body()
            .Paragraph($"{partner.Name}, your Customer Success Offer voucher for {customerName} is issued. Upload the signed Statement of Work (SOW) through the link below, and later the signed Proof of Execution (POE).")
            .Facts(Facts(voucher, customerName))
            .Link("Open the voucher", voucherLink)
            .Paragraph($"Both the SOW and the POE must be submitted and approved by {Date(voucher.ExpiresOn)}.");
        return ToPartner(body, mailId, partner, $"Customer Success Offer voucher issued: {customerName}", listLink);
    }

    public static OutgoingMail CustomerNotice(string mailId, Voucher voucher, PartnerProfile partner, string customerName, CustomerContact contact)
    {
        ArgumentNullException.ThrowIfNull(voucher);
        ArgumentNullException.ThrowIfNull(partner);
        ArgumentNullException.ThrowIfNull(contact);
        var body = Body()
            .Paragraph($"Dear {contact.Name},")
            .Paragraph($"Microsoft has issued a Customer Success Offer voucher for {customerName}: {partner.Name} can deploy Microsoft 365 for you with Microsoft funding of up to USD {Money(voucher.CapUsd)}.")
            .Facts(
            [
                ("Partner", partner.Name),
                ("Partner contact", partner.ReferralContact),
                ("Valid until", Date(voucher.ExpiresOn)),
            ]);
        return body.ToMail(mailId, [contact.Email], [], $"Your Customer Success Offer with {partner.Name}");
    }

    public static OutgoingMail Decided(
        string mailId, Voucher voucher, Redemption redemption, PartnerProfile partner, string customerName, string voucherLink, string listLink)
    {
        ArgumentNullException.ThrowIfNull(voucher);
        ArgumentNullException.ThrowIfNull(redemption);
        ArgumentNullException.ThrowIfNull(partner);
        var kind = redemption.Kind.ToString().ToUpperInvariant();
        var approved = redemption.Status == RedemptionStatus.Approved;
        var body = Body().Paragraph(approved
            ? $"{partner.Name}, the offer desk approved your {kind} ({redemption.Document.Name}) for {customerName}."
            : $"{partner.Name}, the offer desk rejected your {kind} ({redemption.Document.Name}) for {customerName}: {redemption.Reason}");
        var facts = Facts(voucher, customerName).ToList();
        if (voucher.Payout is { } payout)
        {
            facts.Add(("Payout", $"USD {Money(payout.AmountUsd)} for {payout.Users.ToString("N0", CultureInfo.InvariantCulture)} users, due {Date(payout.DueOn)}"));
        }

        body.Facts(facts);
        if (voucher.IsOpen)
        {
            body.Link(approved ? "Upload the POE" : $"Upload a corrected {kind}", voucherLink);
        }

        return ToPartner(body, mailId, partner, $"{kind} {(approved ? "approved" : "rejected")}: {customerName}", listLink);
    }

    public static OutgoingMail Reminder(string mailId, Voucher voucher, DateOnly reminderDate, PartnerProfile partner, string customerName, string voucherLink, string listLink)
    {
        ArgumentNullException.ThrowIfNull(voucher);
        ArgumentNullException.ThrowIfNull(partner);
        var days = voucher.ExpiresOn.DayNumber - reminderDate.DayNumber;
        var body = Body()
            .Paragraph($"{partner.Name}, your Customer Success Offer voucher for {customerName} expires in {days} days, on {Date(voucher.ExpiresOn)}. The SOW and the POE must both be approved by then.")
            .Facts(Facts(voucher, customerName))
            .Link("Open the voucher", voucherLink);
        return ToPartner(body, mailId, partner, $"Voucher expires in {days} days: {customerName}", listLink);
    }

    public static OutgoingMail Expired(string mailId, Voucher voucher, PartnerProfile partner, string customerName, string listLink)
    {
        ArgumentNullException.ThrowIfNull(voucher);
        ArgumentNullException.ThrowIfNull(partner);
        var body = Body()
            .Paragraph($"{partner.Name}, your Customer Success Offer voucher for {customerName} expired on {Date(voucher.ExpiresOn)} without an approved Proof of Execution, so it can no longer be redeemed.")
            .Facts(Facts(voucher, customerName));
        return ToPartner(body, mailId, partner, $"Voucher expired: {customerName}", listLink);
    }

    private static EmailBody Body() => new("Customer Success Offer", BannerColor);

    /// <summary>To the partner, FPM copied, ending like every email to a partner with its "Your referrals" link.</summary>
    private static OutgoingMail ToPartner(EmailBody body, string mailId, PartnerProfile partner, string subject, string listLink) =>
        body.Link(ReferralEmails.YourReferrals, listLink).ToMail(mailId, [partner.ReferralContact], [partner.FpmEmail], subject);

    private static IEnumerable<(string Label, string Value)> Facts(Voucher voucher, string customerName) =>
    [
        ("Voucher", voucher.Id),
        ("Customer", $"{customerName} (TPID {voucher.Tpid})"),
        ("Tier", $"{voucher.Tier}: up to USD {Money(voucher.CapUsd)}, at most {voucher.MaxUsers.ToString("N0", CultureInfo.InvariantCulture)} users"),
        ("Expires", Date(voucher.ExpiresOn)),
        ("Status", voucher.Status.ToString()),
    ];

    private static string Money(decimal amount) => amount.ToString("N0", CultureInfo.InvariantCulture);

    private static string Date(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
}
