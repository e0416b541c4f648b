using FastTrack.Domain.Partners;
using FastTrack.Domain.Vouchers;
using FastTrack.Functions.Customers;
using FastTrack.Functions.Links;
using FastTrack.Functions.Mail;
using FastTrack.Functions.Outbox;
using FastTrack.Functions.Partners;
using FastTrack.Functions.Referrals;

namespace FastTrack.Functions.Vouchers;

/// <summary>
/// Performs a voucher's outbox: each effect is one email, whose id is the outbox row's, so a resend after a crash
/// carries the same id. The customer contact is read from the referral at send time: vouchers hold no personal data.
/// </summary>
public sealed class VoucherDispatcher(
    VoucherStore store,
    [FromKeyedServices(VoucherServiceCollectionExtensions.Key)] PendingDispatch pending,
    OutboxRunner runner,
    ReferralStore referrals,
    PartnerStore partners,
    CustomerStore customers,
    PartnerLinks links,
    IMailSender sender)
{
    public Task<int> DispatchAsync(string voucherId, CancellationToken cancellationToken) =>
        runner.RunAsync(voucherId, store.Outbox, pending, SendAsync, cancellationToken);

    private async Task SendAsync(OutboxItem<VoucherEffect> item, CancellationToken cancellationToken)
    {
        var voucher = (await store.LoadAsync(item.PartitionKey, cancellationToken))?.Voucher
            ?? throw new InvalidOperationException($"Voucher {item.PartitionKey} has an outbox but no state.");
        var partner = await partners.GetAsync(voucher.PartnerId, cancellationToken)
            ?? throw new InvalidOperationException($"Partner {voucher.PartnerId} is not in the partner store.");
        var customerName = (await customers.GetAsync(voucher.TenantId, cancellationToken))?.Name ?? voucher.TenantId;
        var mailId = $"{item.PartitionKey}:{item.RowKey}";
        var link = links.Voucher(voucher.Id, voucher.PartnerId, voucher.IssuedAt).AbsoluteUri;
        var mail = item.Effect switch
        {
            SendVoucherIssued => VoucherEmails.Issued(mailId, voucher, partner, customerName, link),
            NotifyCustomerOfVoucher => VoucherEmails.CustomerNotice(
                mailId, voucher, partner, customerName, await CustomerContactAsync(voucher, cancellationToken)),
            SendRedemptionDecided decided => VoucherEmails.Decided(
                mailId, voucher, Redemption(voucher, decided.RedemptionId), partner, customerName, link),
            SendExpiryReminder reminder => VoucherEmails.Reminder(mailId, voucher, reminder.ReminderDate, partner, customerName, link),
            SendVoucherExpired => VoucherEmails.Expired(mailId, voucher, partner, customerName),
            _ => throw new ArgumentOutOfRangeException(nameof(item), item.Effect, "Not a voucher effect."),
        };
        await sender.SendAsync(mail, cancellationToken);
    }

    private async Task<CustomerContact> CustomerContactAsync(Voucher voucher, CancellationToken cancellationToken) =>
        (await referrals.GetSubmissionAsync(voucher.ReferralId, cancellationToken))?.Contacts.Contact
        ?? throw new InvalidOperationException($"Referral {voucher.ReferralId} of voucher {voucher.Id} has no RFA row.");

    private static Redemption Redemption(Voucher voucher, string redemptionId) =>
        voucher.Redemptions.FirstOrDefault(r => r.Id == redemptionId)
        ?? throw new InvalidOperationException($"Voucher {voucher.Id} has no redemption {redemptionId}.");
}
