using System.Text.Json.Serialization;

namespace FastTrack.Core.Vouchers;

/// <summary>Something to do after a voucher change is committed; kept in the voucher's outbox until done.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "effect")]
[JsonDerivedType(typeof(SendVoucherIssued), nameof(SendVoucherIssued))]
[JsonDerivedType(typeof(SendRedemptionDecided), nameof(SendRedemptionDecided))]
[JsonDerivedType(typeof(SendExpiryReminder), nameof(SendExpiryReminder))]
[JsonDerivedType(typeof(SendVoucherExpired), nameof(SendVoucherExpired))]
[JsonDerivedType(typeof(NotifyCustomerOfVoucher), nameof(NotifyCustomerOfVoucher))]
[JsonDerivedType(typeof(PublishVoucherEvent), nameof(PublishVoucherEvent))]
public abstract record VoucherEffect;

/// <summary>The voucher, with its link, to the partner (FPM copied) (SPEC §9).</summary>
public sealed record SendVoucherIssued : VoucherEffect;

/// <summary>The news of the voucher to the referral's customer contact (SPEC §9: customer and partner notified).</summary>
public sealed record NotifyCustomerOfVoucher : VoucherEffect;

/// <summary>The offer desk's decision on a redemption, to the partner (FPM copied).</summary>
public sealed record SendRedemptionDecided(string RedemptionId) : VoucherEffect;

/// <summary>The reminder of <paramref name="ReminderDate"/>, 30 or 7 days before expiry, to the partner (FPM copied).</summary>
public sealed record SendExpiryReminder(DateOnly ReminderDate) : VoucherEffect;

/// <summary>The voucher expired without an approved POE: the partner is told (FPM copied).</summary>
public sealed record SendVoucherExpired : VoucherEffect;

/// <summary>A voucher lifecycle event for other systems (README "Integration events").</summary>
public sealed record PublishVoucherEvent(VoucherEventKind Kind) : VoucherEffect;

public enum VoucherEventKind
{
    Issued,
    Redeemed,
    Expired,
}
