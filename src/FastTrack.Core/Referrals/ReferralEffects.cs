using FastTrack.Core.Events;
using FastTrack.Core.Mail;
using FastTrack.Core.Partners;
using FastTrack.Domain.Partners;
using FastTrack.Domain.Referrals;

namespace FastTrack.Core.Referrals;

/// <summary>
/// Performs what committed decisions asked for, in order: the emails, the partners' round-robin and capacity records,
/// and the integration events. Each is safe to do again, so a step retried after a crash repeats nothing that
/// matters: an email recorded as sent is not sent again, and each send first claims its attempt under the record's ETag,
/// so two runs of one step at once send it once (mail is at-least-once: a crash between Graph accepting it and its
/// record sends it twice, with the same id); records only move forward; an event keeps its id.
/// </summary>
public sealed class ReferralEffects(
    ReferralStore store,
    PartnerStore partners,
    ReferralMailer mailer,
    IMailSender sender,
    IntegrationEvents events,
    TimeProvider clock)
{
    public async Task PerformAsync(ReferralSince since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(since);
        var referral = since.Loaded.State;

        // The profiles the round-robin records have just read: an offer's email follows its assignment.
        var profiles = new Dictionary<string, PartnerProfile>(StringComparer.Ordinal);
        foreach (var decision in since.Decisions)
        {
            foreach (var (effect, index) in decision.Effects.Select((effect, index) => (effect, index)))
            {
                switch (effect)
                {
                    case RecordPartnerAssigned assigned:
                        profiles[assigned.PartnerId] = await partners.RecordAssignedAsync(assigned.PartnerId, assigned.At, cancellationToken);
                        break;
                    case RecordCapacityDeclineUsed capacity:
                        await partners.RecordCapacityDeclineUsedAsync(capacity.PartnerId, cancellationToken);
                        break;
                    case PublishEvent published:
                        var partnerId = published.PartId is null ? null : referral.FindPart(published.PartId)?.PartnerId;
                        await events.PublishAsync(
                            IntegrationEvent.ForReferral(referral.Id, decision.Version, index, published, partnerId, clock.GetUtcNow()),
                            cancellationToken);
                        break;
                    default:
                        await SendOnceAsync(since, profiles, decision.Version, index, effect, cancellationToken);
                        break;
                }
            }
        }
    }

    private async Task SendOnceAsync(
        ReferralSince since, IReadOnlyDictionary<string, PartnerProfile> profiles, int version, int index, ReferralEffect effect,
        CancellationToken cancellationToken)
    {
        var referral = since.Loaded.State;
        var mailKey = ReferralStore.MailKey(version, index);
        var record = since.Mails.GetValueOrDefault(mailKey);
        if (record?.SentAt is not null ||
            await mailer.ComposeAsync($"{referral.Id}:{mailKey}", referral, since.Submission, profiles, effect, cancellationToken) is not { } mail)
        {
            return;
        }

        // Lost to another run of this step: failing lets the workflow retry the step, which then finds the email sent,
        // or claims it again if that run stopped before Graph took it. Returning would report the email done while it
        // may yet fail.
        if (!await store.TryClaimMailAsync(referral.Id, mailKey, record, clock.GetUtcNow(), cancellationToken))
        {
            throw new InvalidOperationException($"Email {mailKey} of referral {referral.Id} is being sent by another run of the same step.");
        }

        await sender.SendAsync(mail, cancellationToken);
        await store.MarkMailSentAsync(referral.Id, mailKey, clock.GetUtcNow(), cancellationToken);
    }
}
