using FastTrack.Core.Privacy;
using FastTrack.Core.Referrals;

namespace FastTrack.Core.Vouchers;

/// <summary>
/// For a personal data erasure: the signed SOW and POE documents of the vouchers issued on the erased person's
/// referrals. They are kept under the Customer Success Offer contract, so the erasure lists them instead of deleting
/// them. A referral's voucher is found by its customer's TPID, from which the voucher id is derived.
/// </summary>
public sealed class VoucherDocuments(ReferralStore referrals, VoucherStore vouchers) : IRetainedDocuments
{
    public async Task<IReadOnlyList<RetainedDocument>> FindAsync(IReadOnlyList<string> referralIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(referralIds);
        var documents = new List<RetainedDocument>();
        foreach (var referralId in referralIds)
        {
            var tpid = (await referrals.LoadAsync(referralId, cancellationToken))?.State.Request.Customer.Tpid;
            var voucher = tpid is null ? null : (await vouchers.LoadAsync(VoucherStore.IdFor(tpid), cancellationToken))?.Voucher;
            if (voucher?.ReferralId != referralId)
            {
                continue;
            }

            documents.AddRange(voucher.Redemptions.Select(redemption => new RetainedDocument(
                $"Voucher{redemption.Kind}",
                $"{DocumentStore.ContainerName}/{DocumentStore.BlobName(voucher.Id, redemption.Id)}",
                referralId,
                $"The signed {redemption.Kind.ToString().ToUpperInvariant()} of voucher {voucher.Id} is kept under the Customer Success Offer contract.")));
        }

        return documents;
    }
}
