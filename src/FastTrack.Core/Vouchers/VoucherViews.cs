using FastTrack.Domain.Catalog;
using FastTrack.Domain.Vouchers;

namespace FastTrack.Core.Vouchers;

/// <summary>The voucher as API.md shows it.</summary>
public sealed record VoucherView(
    string Id,
    string Tpid,
    string TenantId,
    string PartnerId,
    string ReferralId,
    int Tier,
    decimal CapUsd,
    int MaxUsers,
    DateTimeOffset IssuedAt,
    DateOnly ExpiresOn,
    VoucherStatus Status,
    IReadOnlyList<RedemptionView> Redemptions,
    Payout? Payout)
{
    public static VoucherView From(Voucher voucher)
    {
        ArgumentNullException.ThrowIfNull(voucher);
        return new(
            voucher.Id, voucher.Tpid, voucher.TenantId, voucher.PartnerId, voucher.ReferralId, voucher.Tier, voucher.CapUsd,
            voucher.MaxUsers, voucher.IssuedAt, voucher.ExpiresOn, voucher.Status,
            [.. voucher.Redemptions.Select(RedemptionView.From)], voucher.Payout);
    }
}

public sealed record RedemptionView(
    string Id,
    RedemptionKind Kind,
    RedemptionStatus Status,
    DateTimeOffset SubmittedAt,
    DateTimeOffset ReviewDueAt,
    DateTimeOffset? DecidedAt,
    string? Reason,
    int? UsersDeployed,
    IReadOnlyList<Workload> Workloads,
    RedemptionDocument Document)
{
    public static RedemptionView From(Redemption redemption)
    {
        ArgumentNullException.ThrowIfNull(redemption);
        return new(
            redemption.Id, redemption.Kind, redemption.Status, redemption.SubmittedAt, redemption.ReviewDueAt, redemption.DecidedAt,
            redemption.Reason, redemption.UsersDeployed, [.. redemption.Workloads.Order()], redemption.Document);
    }
}

/// <summary>A redemption past its review target: the voucher, the partner, the redemption and how long overdue.</summary>
public sealed record OverdueRedemption(string VoucherId, string PartnerId, RedemptionView Redemption, TimeSpan Overdue);
