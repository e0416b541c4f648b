using FastTrack.Domain.Calendar;
using FastTrack.Domain.Vouchers;
using FastTrack.Core.Outbox;
using FastTrack.Core.Calendars;
using FastTrack.Core.Customers;
using FastTrack.Core.Partners;
using FastTrack.Core.Referrals;
using Microsoft.Extensions.Options;

namespace FastTrack.Core.Vouchers;

/// <summary>
/// Runs the voucher lifecycle (SPEC §9): load the voucher, let the pure <see cref="Voucher"/> rules decide, commit the
/// voucher with the emails it calls for under the voucher's ETag, then ask for the outbox to be dispatched. A lost race
/// is decided again from a fresh read, so concurrent actions on one voucher each end in exactly one outcome.
/// </summary>
public sealed partial class VoucherService(
    VoucherStore store,
    VoucherCalendar calendar,
    RedemptionReviews reviews,
    PendingDispatch pending,
    DispatchRequests dispatch,
    ReferralStore referrals,
    PartnerStore partners,
    CustomerStore customers,
    HolidayStore holidays,
    IOptions<VoucherSettings> settings,
    TimeProvider clock,
    ILogger<VoucherService> logger)
{
    private const int MaxCommitAttempts = 30;

    /// <summary>
    /// The partner's intention to use the offer with the referred customer: issues the voucher, or says every rule the
    /// nomination breaks. Asking again for the same referral and partner returns the voucher already issued.
    /// </summary>
    public async Task<IssueResult> IssueAsync(string referralId, string partnerId, CancellationToken cancellationToken)
    {
        var referral = (await referrals.LoadAsync(referralId, cancellationToken))?.State;
        var partner = await partners.GetAsync(partnerId, cancellationToken);
        var customer = referral is null ? null : await customers.GetAsync(referral.Request.Customer.TenantId, cancellationToken);
        var missing = new List<RuleViolation>();
        if (referral is null)
        {
            missing.Add(new("ReferralNotFound", $"There is no referral {referralId}."));
        }
        else if (customer is null)
        {
            missing.Add(new("CustomerNotFound", $"Customer tenant {referral.Request.Customer.TenantId} has no profile with its licence and usage figures; import it with PUT /api/customers/{referral.Request.Customer.TenantId}."));
        }

        if (partner is null)
        {
            missing.Add(new("PartnerNotFound", $"There is no partner {partnerId}."));
        }

        if (missing.Count > 0)
        {
            return new IssueResult(null, false, missing);
        }

        var id = VoucherStore.IdFor(customer!.Tpid);
        var existing = (await store.LoadAsync(id, cancellationToken))?.Voucher;
        if (existing is not null && existing.ReferralId == referralId && existing.PartnerId == partnerId)
        {
            return new IssueResult(existing, false, []);
        }

        var now = clock.GetUtcNow();
        var nomination = new Nomination(customer.ToVoucherCustomer(), partner!, referral!.NotifiedAt(partnerId), existing is not null);
        var violations = VoucherEligibility.Check(nomination, now);
        if (violations.Count > 0)
        {
            return new IssueResult(null, false, violations);
        }

        var voucher = Voucher.Issue(id, referralId, nomination, now);
        await calendar.ScheduleAsync(voucher, cancellationToken);
        await pending.MarkAsync(id, now, cancellationToken);
        if (!await store.CreateAsync(voucher, [new SendVoucherIssued(), new NotifyCustomerOfVoucher(), new PublishVoucherEvent(VoucherEventKind.Issued)], cancellationToken))
        {
            // Another request issued this TPID's voucher first; answer as the rules now say.
            return await IssueAsync(referralId, partnerId, cancellationToken);
        }

        LogIssued(id, voucher.Tpid, partnerId, voucher.Tier);
        await dispatch.RequestAsync(id, cancellationToken);
        return new IssueResult(voucher, true, []);
    }

    public async Task<LoadedVoucher?> GetAsync(string voucherId, CancellationToken cancellationToken) =>
        await store.LoadAsync(voucherId, cancellationToken);

    /// <summary>
    /// Records a signed SOW or POE as redemption <paramref name="redemptionId"/>, or lists the rules it breaks
    /// (<see cref="Voucher.Submit"/>). The same document (same SHA-256) declared the same way again is the redemption
    /// already recorded, whatever id was proposed.
    /// </summary>
    public async Task<VoucherChange?> SubmitAsync(
        string voucherId, string redemptionId, RedemptionSubmission submission, CancellationToken cancellationToken)
    {
        var offerDesk = await OfferDeskCalendarAsync(cancellationToken);
        var options = settings.Value.ToOptions();
        return await ChangeAsync(
            voucherId,
            (voucher, now) => voucher.Submit(redemptionId, submission, now, offerDesk, options),
            _ => [],
            change => reviews.AddAsync(voucherId, change.Redemption!.Id, change.Redemption.ReviewDueAt, cancellationToken),
            cancellationToken);
    }

    /// <summary>The offer desk's decision; the partner is told (FPM copied).</summary>
    public async Task<VoucherChange?> DecideAsync(
        string voucherId, string redemptionId, bool approve, string? reason, CancellationToken cancellationToken)
    {
        var change = await ChangeAsync(
            voucherId,
            (voucher, now) => voucher.Decide(redemptionId, approve, reason, now),
            decided => decided.Voucher.Status == VoucherStatus.Redeemed
                ? [new SendRedemptionDecided(decided.Redemption!.Id), new PublishVoucherEvent(VoucherEventKind.Redeemed)]
                : [new SendRedemptionDecided(decided.Redemption!.Id)],
            null,
            cancellationToken);
        if (change is { Succeeded: true, Redemption: { } redemption })
        {
            await reviews.RemoveAsync(voucherId, redemption, cancellationToken);
            LogDecided(voucherId, redemptionId, redemption.Kind, redemption.Status, change.Voucher.Status);
        }

        return change;
    }

    /// <summary>The sweep's reminder of <paramref name="reminderDate"/>, sent once.</summary>
    public Task<VoucherChange?> RemindAsync(string voucherId, DateOnly reminderDate, CancellationToken cancellationToken) =>
        ChangeAsync(voucherId, (voucher, now) => voucher.Remind(reminderDate, now), _ => [new SendExpiryReminder(reminderDate)], null, cancellationToken);

    /// <summary>The sweep's expiry of a voucher past its date without an approved POE.</summary>
    public Task<VoucherChange?> ExpireAsync(string voucherId, CancellationToken cancellationToken) =>
        ChangeAsync(voucherId, (voucher, now) => voucher.Expire(now), _ => [new SendVoucherExpired(), new PublishVoucherEvent(VoucherEventKind.Expired)], null, cancellationToken);

    /// <summary>Null when there is no such voucher.</summary>
    private async Task<VoucherChange?> ChangeAsync(
        string voucherId,
        Func<Voucher, DateTimeOffset, VoucherChange> decide,
        Func<VoucherChange, IReadOnlyList<VoucherEffect>> effectsOf,
        Func<VoucherChange, Task>? beforeCommit,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await store.LoadAsync(voucherId, cancellationToken) is not { } loaded)
            {
                return null;
            }

            var now = clock.GetUtcNow();
            var change = decide(loaded.Voucher, now);
            if (!change.Succeeded || ReferenceEquals(change.Voucher, loaded.Voucher))
            {
                return change;
            }

            if (beforeCommit is not null)
            {
                await beforeCommit(change);
            }

            var effects = effectsOf(change);
            if (effects.Count > 0)
            {
                await pending.MarkAsync(voucherId, now, cancellationToken);
            }

            if (await store.CommitAsync(loaded, change.Voucher, effects, cancellationToken))
            {
                if (effects.Count > 0)
                {
                    await dispatch.RequestAsync(voucherId, cancellationToken);
                }

                return change;
            }

            if (attempt == MaxCommitAttempts)
            {
                throw new InvalidOperationException($"Voucher {voucherId} lost {attempt} races in a row; giving up so it can be retried.");
            }
        }
    }

    private async Task<BusinessCalendar> OfferDeskCalendarAsync(CancellationToken cancellationToken)
    {
        var country = settings.Value.OfferDeskCountry;
        var days = string.IsNullOrEmpty(country) ? null : await holidays.GetAsync(country, cancellationToken);
        return BusinessCalendar.For(settings.Value.OfferDeskTimeZone, days ?? new HashSet<DateOnly>());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Voucher {VoucherId} issued for TPID {Tpid} to partner {PartnerId}, tier {Tier}")]
    private partial void LogIssued(string voucherId, string tpid, string partnerId, int tier);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Voucher {VoucherId}: redemption {RedemptionId} ({Kind}) {Status}; voucher {VoucherStatus}")]
    private partial void LogDecided(string voucherId, string redemptionId, RedemptionKind kind, RedemptionStatus status, VoucherStatus voucherStatus);
}

/// <summary>The voucher issued (or already issued to this referral and partner), or every reason it cannot be.</summary>
public sealed record IssueResult(Voucher? Voucher, bool Created, IReadOnlyList<RuleViolation> Violations);
