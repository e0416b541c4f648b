using FastTrack.Core.Events;
using FastTrack.Core.Mail;
using FastTrack.Core.Partners;
using FastTrack.Domain.Referrals;

namespace FastTrack.Core.Referrals;

/// <summary>
/// Performs what committed decisions asked for, in order: the emails, the partners' round-robin and capacity records,
/// and the integration events. Each is safe to do again, so a step retried after a crash repeats nothing that
/// matters: an email recorded as sent is not sent again (mail is at-least-once: a crash between Graph accepting it and
/// its record sends it twice, with the same id); records only move forward; an event keeps its id.
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
        ReferralSubmission? submission = null;
        foreach (var decision in since.Decisions)
        {
            foreach (var (effect, index) in decision.Effects.Select((effect, index) => (effect, index)))
            {
                switch (effect)
                {
                    case RecordPartnerAssigned assigned:
                        await partners.RecordAssignedAsync(assigned.PartnerId, assigned.At, cancellationToken);
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
                        submission ??= await store.GetSubmissionAsync(referral.Id, cancellationToken)
                            ?? throw new InvalidOperationException($"Referral {referral.Id} has no RFA row.");
                        await SendOnceAsync(since, referral, submission, decision.Version, index, effect, cancellationToken);
                        break;
                }
            }
        }
    }

    private async Task SendOnceAsync(
        ReferralSince since, Referral referral, ReferralSubmission submission, int version, int index, ReferralEffect effect,
        CancellationToken cancellationToken)
    {
        var mailKey = ReferralStore.MailKey(version, index);
        var record = since.Mails.GetValueOrDefault(mailKey);
        if (record?.SentAt is not null ||
            await mailer.ComposeAsync($"{referral.Id}:{mailKey}", referral, submission, effect, cancellationToken) is not { } mail)
        {
            return;
        }

        await store.MarkMailSendingAsync(referral.Id, mailKey, (record?.Attempts ?? 0) + 1, clock.GetUtcNow(), cancellationToken);
        await sender.SendAsync(mail, cancellationToken);
        await store.MarkMailSentAsync(referral.Id, mailKey, clock.GetUtcNow(), cancellationToken);
    }
}
