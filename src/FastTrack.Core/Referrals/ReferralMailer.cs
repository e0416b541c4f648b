using FastTrack.Domain.Partners;
using FastTrack.Domain.Privacy;
using FastTrack.Domain.Referrals;
using FastTrack.Core.Links;
using FastTrack.Core.Mail;
using FastTrack.Core.Partners;
using Microsoft.Extensions.Options;

namespace FastTrack.Core.Referrals;

/// <summary>
/// Writes the email an effect asks for, from the referral as it is now. An offer or confirmation whose assignment has
/// ended meanwhile is not written (its links could only be refused), nor an email whose recipients' data was erased.
/// </summary>
public sealed partial class ReferralMailer(
    PartnerStore partners,
    PartnerLinks links,
    IOptions<MailOptions> options,
    TimeProvider clock,
    ILogger<ReferralMailer> logger)
{
    /// <summary>
    /// The email, with id <paramref name="mailId"/>; null when there is none to send (see the class). A partner's
    /// profile comes from <paramref name="profiles"/> when it holds it, else from the partner store.
    /// </summary>
    public async Task<OutgoingMail?> ComposeAsync(
        string mailId, Referral referral, ReferralSubmission submission, IReadOnlyDictionary<string, PartnerProfile> profiles,
        ReferralEffect effect, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(referral);
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentNullException.ThrowIfNull(profiles);
        async Task<PartnerProfile> PartnerAsync(string partnerId) =>
            profiles.GetValueOrDefault(partnerId)
            ?? await partners.GetAsync(partnerId, cancellationToken)
            ?? throw new InvalidOperationException($"Partner {partnerId} is not in the partner store.");

        var contacts = submission.Contacts;
        var mail = effect switch
        {
            NotifyPartner offer when IsCurrent(referral, offer.PartId, offer.Attempt, offer.PartnerId) =>
                ReferralEmails.PartnerNotification(
                    mailId, referral, Part(referral, offer.PartId), await PartnerAsync(offer.PartnerId), contacts,
                    links.Respond(referral.Id, offer.PartId, offer.Attempt, offer.PartnerId, offer.DueAt).AbsoluteUri,
                    ListLink(offer.PartnerId)),
            SendAcceptanceConfirmation accepted when IsCurrent(referral, accepted.PartId, accepted.Attempt, accepted.PartnerId) =>
                ReferralEmails.AcceptanceConfirmation(
                    mailId, referral, Part(referral, accepted.PartId), await PartnerAsync(accepted.PartnerId), contacts,
                    links.Engagement(referral.Id, accepted.PartId, accepted.Attempt, accepted.PartnerId, clock.GetUtcNow()).AbsoluteUri,
                    ListLink(accepted.PartnerId)),
            NotifyPartner or SendAcceptanceConfirmation => null,
            NotifyCustomerOfAssignment notice => ReferralEmails.CustomerAssignmentNotice(
                mailId, referral, Part(referral, notice.PartId), await PartnerAsync(notice.PartnerId), contacts),
            NotifyReassignedAfterTimeout notice => ReferralEmails.ReassignedAfterTimeout(
                mailId, referral, Part(referral, notice.PartId), await PartnerAsync(notice.PartnerId), ListLink(notice.PartnerId)),
            EscalateToProcessingTeam escalation => ReferralEmails.Escalation(
                mailId, referral, Part(referral, escalation.PartId), contacts, escalation.Reason, options.Value.ProcessingTeamMailbox),
            SendCompletionReceipt receipt => ReferralEmails.CompletionReceipt(
                mailId, referral, Part(referral, receipt.PartId), await PartnerAsync(receipt.PartnerId), ListLink(receipt.PartnerId)),
            _ => throw new ArgumentOutOfRangeException(nameof(effect), effect, "Not an email effect."),
        };
        if (mail is null)
        {
            LogSuperseded(referral.Id, mailId, effect.GetType().Name);
            return null;
        }

        // A person whose data was erased (SPEC §10) is written to no more: their address is gone.
        mail = mail with { To = [.. mail.To.Where(Addressable)], Cc = [.. mail.Cc.Where(Addressable)] };
        if (mail.To.Count == 0)
        {
            LogErasedRecipient(referral.Id, mailId, effect.GetType().Name);
            return null;
        }

        return mail;
    }

    /// <summary>The partner's "Your referrals" link, valid for 30 days from this email.</summary>
    private string ListLink(string partnerId) => links.List(partnerId, clock.GetUtcNow()).AbsoluteUri;

    private static bool IsCurrent(Referral referral, string partId, int attempt, string partnerId) =>
        referral.FindPart(partId) is { } part && part.Attempt == attempt && part.PartnerId == partnerId;

    private static bool Addressable(string address) => !PersonalData.IsErased(address);

    private static AssignmentPart Part(Referral referral, string partId) =>
        referral.FindPart(partId) ?? throw new InvalidOperationException($"Referral {referral.Id} has no part {partId}.");

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Referral {ReferralId}: {Effect} ({MailId}) not sent: that assignment has ended")]
    private partial void LogSuperseded(string referralId, string mailId, string effect);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Referral {ReferralId}: {Effect} ({MailId}) not sent: its recipient's data was erased")]
    private partial void LogErasedRecipient(string referralId, string mailId, string effect);
}
