using FastTrack.Domain.Partners;
using FastTrack.Domain.Privacy;
using FastTrack.Domain.Vouchers;
using FastTrack.Core.Events;
using FastTrack.Core.Customers;
using FastTrack.Core.Links;
using FastTrack.Core.Mail;
using FastTrack.Core.Outbox;
using FastTrack.Core.Partners;
using FastTrack.Core.Referrals;

namespace FastTrack.Core.Vouchers;

/// <summary>
/// Performs a voucher's outbox: each effect is one email, whose id is the outbox row's, so a resend after a crash
/// carries the same id; so is each event's. The customer contact is read from the referral at send time: vouchers hold
/// no personal data, and a contact erased since (README "Personal data requests") gets no email.
/// </summary>
public sealed partial class VoucherDispatcher(
    VoucherStore store,
    PendingDispatch pending,
    OutboxRunner runner,
    ReferralStore referrals,
    PartnerStore partners,
    CustomerStore customers,
    PartnerLinks links,
    IMailSender sender,
    IntegrationEvents events,
    TimeProvider clock,
    ILogger<VoucherDispatcher> logger)
{
    public const string FunctionName = "VoucherDispatch";

    /// <summary>A queue function on <c>voucher-dispatch</c>: dispatches the outbox the message names.</summary>
    public Task<int> OnQueueMessageAsync(string message, CancellationToken cancellationToken) =>
        DispatchAsync(DispatchRequests.Parse(message).Id, cancellationToken);

    /// <summary>
    /// Sends what waits in the voucher's outbox. The voucher, its partner and its customer's name are read once, at the
    /// first effect: the outbox was listed before that, so the voucher read is at least as new as every effect listed.
    /// </summary>
    public Task<int> DispatchAsync(string voucherId, CancellationToken cancellationToken)
    {
        VoucherMailFacts? facts = null;
        return runner.RunAsync(
            voucherId,
            store.Outbox,
            pending,
            async (item, token) => await SendAsync(item, facts ??= await FactsAsync(voucherId, token), token),
            cancellationToken);
    }

    private async Task<VoucherMailFacts> FactsAsync(string voucherId, CancellationToken cancellationToken)
    {
        var voucher = (await store.LoadAsync(voucherId, cancellationToken))?.Voucher
            ?? throw new InvalidOperationException($"Voucher {voucherId} has an outbox but no state.");
        var partner = await partners.GetAsync(voucher.PartnerId, cancellationToken)
            ?? throw new InvalidOperationException($"Partner {voucher.PartnerId} is not in the partner store.");
        var customerName = (await customers.GetAsync(voucher.TenantId, cancellationToken))?.Name ?? voucher.TenantId;
        return new VoucherMailFacts(
            voucher, partner, customerName, links.Voucher(voucher.Id, voucher.PartnerId, voucher.IssuedAt).AbsoluteUri,
            links.List(voucher.PartnerId, clock.GetUtcNow()).AbsoluteUri);
    }

    private async Task SendAsync(OutboxItem<VoucherEffect> item, VoucherMailFacts facts, CancellationToken cancellationToken)
    {
        var (voucher, partner, customerName, link, listLink) = facts;
        var mailId = $"{item.PartitionKey}:{item.RowKey}";
        if (item.Effect is PublishVoucherEvent published)
        {
            await events.PublishAsync(
                new IntegrationEvent(
                    mailId,
                    $"voucher.{published.Kind.ToString().ToLowerInvariant()}",
                    $"vouchers/{voucher.Id}",
                    clock.GetUtcNow(),
                    ReferralId: voucher.ReferralId,
                    PartnerId: voucher.PartnerId,
                    VoucherId: voucher.Id),
                cancellationToken);
            return;
        }

        var mail = item.Effect switch
        {
            SendVoucherIssued => VoucherEmails.Issued(mailId, voucher, partner, customerName, link, listLink),
            NotifyCustomerOfVoucher => await CustomerContactAsync(voucher, cancellationToken) is { } contact
                ? VoucherEmails.CustomerNotice(mailId, voucher, partner, customerName, contact)
                : null,
            SendRedemptionDecided decided => VoucherEmails.Decided(
                mailId, voucher, Redemption(voucher, decided.RedemptionId), partner, customerName, link, listLink),
            SendExpiryReminder reminder => VoucherEmails.Reminder(mailId, voucher, reminder.ReminderDate, partner, customerName, link, listLink),
            SendVoucherExpired => VoucherEmails.Expired(mailId, voucher, partner, customerName, listLink),
            _ => throw new ArgumentOutOfRangeException(nameof(item), item.Effect, "Not a voucher effect."),
        };
        if (mail is null)
        {
            LogErasedContact(voucher.Id, item.RowKey);
            return;
        }

        await sender.SendAsync(mail, cancellationToken);
    }

    /// <summary>The referral's customer contact; null once erased.</summary>
    private async Task<CustomerContact?> CustomerContactAsync(Voucher voucher, CancellationToken cancellationToken)
    {
        var contact = (await referrals.GetSubmissionAsync(voucher.ReferralId, cancellationToken))?.Contacts.Contact
            ?? throw new InvalidOperationException($"Referral {voucher.ReferralId} of voucher {voucher.Id} has no RFA row.");
        return PersonalData.IsErased(contact.Email) ? null : contact;
    }

    private static Redemption Redemption(Voucher voucher, string redemptionId) =>
        voucher.Redemptions.FirstOrDefault(r => r.Id == redemptionId)
        ?? throw new InvalidOperationException($"Voucher {voucher.Id} has no redemption {redemptionId}.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Voucher {VoucherId}: {OutboxRow} not sent: the customer contact was erased")]
    private partial void LogErasedContact(string voucherId, string outboxRow);
}

/// <summary>What every email of one voucher's dispatch run reads: the voucher, its partner, the customer's name, the voucher link.</summary>
internal sealed record VoucherMailFacts(Voucher Voucher, PartnerProfile Partner, string CustomerName, string Link, string ListLink);
