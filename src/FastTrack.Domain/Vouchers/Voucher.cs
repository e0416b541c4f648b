using FastTrack.Domain.Calendar;
using FastTrack.Domain.Catalog;

namespace FastTrack.Domain.Vouchers;

public enum VoucherStatus
{
    Issued,
    Redeeming,
    Redeemed,
    Expired,
}

public enum RedemptionKind
{
    Sow,
    Poe,
}

public enum RedemptionStatus
{
    Received,
    Approved,
    Rejected,
}

/// <summary>The official template ids the offer desk accepts; configurable, defaulting to SOW-2023 and POE-2023.</summary>
public sealed record VoucherOptions(IReadOnlySet<string> SowTemplateIds, IReadOnlySet<string> PoeTemplateIds)
{
    public static VoucherOptions Default { get; } = new(
        new HashSet<string>(StringComparer.Ordinal) { ProgramRules.DefaultSowTemplateId },
        new HashSet<string>(StringComparer.Ordinal) { ProgramRules.DefaultPoeTemplateId });
}

public sealed record RedemptionDocument(string Name, string Sha256, long Size);

/// <summary>What an upload or a blob drop declares about a signed SOW or POE.</summary>
public sealed record RedemptionSubmission(
    RedemptionKind Kind,
    string TemplateId,
    bool SignedByCustomer,
    bool SignedByPartner,
    bool EcifFunded,
    int? UsersDeployed,
    IReadOnlySet<Workload> Workloads,
    RedemptionDocument Document);

/// <summary>A SOW or POE as received, with what was declared about it (<see cref="TemplateId"/>: null if recorded before it was kept).</summary>
public sealed record Redemption(
    string Id,
    RedemptionKind Kind,
    RedemptionStatus Status,
    DateTimeOffset SubmittedAt,
    DateTimeOffset ReviewDueAt,
    DateTimeOffset? DecidedAt,
    string? Reason,
    int? UsersDeployed,
    IReadOnlySet<Workload> Workloads,
    RedemptionDocument Document,
    string? TemplateId = null)
{
    /// <summary>
    /// Whether <paramref name="submission"/> declares this redemption's document as it was declared: the same kind,
    /// template, users and workloads. Signatures and ECIF need no comparing: the kind's rules admit one value of each.
    /// A redemption recorded before its template id was kept matches any template.
    /// </summary>
    public bool IsDeclaredAs(RedemptionSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        return Kind == submission.Kind && (TemplateId ?? submission.TemplateId) == submission.TemplateId &&
               UsersDeployed == submission.UsersDeployed && Workloads.SetEquals(submission.Workloads);
    }
}

/// <summary>The single payment for an approved POE.</summary>
public sealed record Payout(int Users, decimal AmountUsd, DateOnly DueOn)
{
    /// <summary>Users capped by the voucher's maximum; USD 15 each, capped; due 45 days after the POE month ends.</summary>
    public static Payout For(int usersDeployed, int maxUsers, decimal capUsd, DateTimeOffset poeSubmittedAt)
    {
        var users = Math.Min(usersDeployed, maxUsers);
        var submitted = DateOnly.FromDateTime(poeSubmittedAt.UtcDateTime);
        var monthEnd = new DateOnly(submitted.Year, submitted.Month, DateTime.DaysInMonth(submitted.Year, submitted.Month));
        return new Payout(users, Math.Min(ProgramRules.UsdPerUserDeployed * users, capUsd), monthEnd.AddDays(ProgramRules.PaymentDaysAfterMonthEnd));
    }
}

/// <summary>The result of a voucher operation: the voucher afterwards and, when refused, every rule it broke.</summary>
public sealed record VoucherChange(Voucher Voucher, IReadOnlyList<RuleViolation> Violations, Redemption? Redemption = null)
{
    public bool Succeeded => Violations.Count == 0;
}

/// <summary>Thrown when a caller issues a voucher without checking eligibility first.</summary>
public sealed class VoucherNotEligibleException(IReadOnlyList<RuleViolation> violations)
    : InvalidOperationException("The nomination is not eligible: " + string.Join(" ", violations.Select(v => v.Code)))
{
    public IReadOnlyList<RuleViolation> Violations { get; } = violations;
}

/// <summary>
/// A Customer Success Offer voucher (SPEC §9). Dates are UTC calendar dates. A voucher issued on day D has
/// <see cref="ExpiresOn"/> = D + 180 and is valid through the whole of that day; it is expired from D + 181.
/// </summary>
public sealed record Voucher(
    string Id,
    string ReferralId,
    string Tpid,
    string TenantId,
    string PartnerId,
    int Tier,
    decimal CapUsd,
    int MaxUsers,
    DateTimeOffset IssuedAt,
    DateOnly ExpiresOn,
    VoucherStatus Status,
    IReadOnlyList<Redemption> Redemptions,
    Payout? Payout = null)
{
    /// <summary>
    /// The code of the one refusal that is a conflict rather than a broken rule: the document is already another
    /// redemption's, declared otherwise (the API answers it 409, not 422).
    /// </summary>
    public const string DocumentAlreadyHeldCode = "DocumentAlreadyHeld";

    /// <summary>The reminder dates (of <see cref="ReminderDates"/>) already sent, so a rerun of the sweep sends none twice.</summary>
    public IReadOnlyList<DateOnly> RemindersSent { get; init; } = [];

    /// <summary>Still redeemable: issued, or with a redemption under way.</summary>
    public bool IsOpen => Status is VoucherStatus.Issued or VoucherStatus.Redeeming;

    /// <summary>The first day the voucher is expired, when the sweep expires it unless the POE was approved.</summary>
    public DateOnly ExpiredFrom => ExpiresOn.AddDays(1);

    /// <summary>1 for 500–4,999 seats, 2 for 5,000 or more; null below the offer's minimum.</summary>
    public static int? TierFor(int paidEligibleSeats) =>
        paidEligibleSeats >= ProgramRules.Tier2MinimumSeats ? 2
        : paidEligibleSeats >= ProgramRules.Tier1MinimumSeats ? 1
        : null;

    public static decimal CapFor(int tier) => tier == 2 ? ProgramRules.Tier2CapUsd : ProgramRules.Tier1CapUsd;

    /// <summary>Users deployable: licences unused at issue, and no more than the cap pays for (USD 50,000 → 3,333).</summary>
    public static int MaxUsersFor(int unusedEligibleSeats, decimal capUsd) =>
        Math.Min(unusedEligibleSeats, (int)decimal.Floor(capUsd / ProgramRules.UsdPerUserDeployed));

    public static Voucher Issue(string id, string referralId, Nomination nomination, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(nomination);
        var violations = VoucherEligibility.Check(nomination, now);
        if (violations.Count > 0)
        {
            throw new VoucherNotEligibleException(violations);
        }

        var customer = nomination.Customer;
        var tier = TierFor(customer.PaidEligibleSeats)!.Value;
        var cap = CapFor(tier);
        return new Voucher(
            id,
            referralId,
            customer.Tpid,
            customer.TenantId,
            nomination.Partner.Id,
            tier,
            cap,
            MaxUsersFor(customer.UnusedEligibleSeats, cap),
            now,
            DateOnly.FromDateTime(now.UtcDateTime).AddDays(ProgramRules.VoucherValidityDays),
            VoucherStatus.Issued,
            []);
    }

    /// <summary>The days the partner (FPM copied) is reminded: 30 and 7 days before expiry.</summary>
    public IReadOnlyList<DateOnly> ReminderDates =>
        [ExpiresOn.AddDays(-ProgramRules.FirstReminderDaysBeforeExpiry), ExpiresOn.AddDays(-ProgramRules.SecondReminderDaysBeforeExpiry)];

    public bool IsPastExpiry(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime) > ExpiresOn;

    /// <summary>
    /// The sweep's reminder of <paramref name="reminderDate"/> (30 or 7 days before expiry), once, from that day on,
    /// and only while the voucher is open and not yet past its expiry date.
    /// </summary>
    public VoucherChange Remind(DateOnly reminderDate, DateTimeOffset now)
    {
        var problem =
            !ReminderDates.Contains(reminderDate) ? $"{reminderDate:yyyy-MM-dd} is not a reminder date of voucher {Id}."
            : DateOnly.FromDateTime(now.UtcDateTime) < reminderDate ? $"The reminder of {reminderDate:yyyy-MM-dd} is not due yet."
            : RemindersSent.Contains(reminderDate) ? $"The reminder of {reminderDate:yyyy-MM-dd} was already sent."
            : !IsOpen || IsPastExpiry(now) ? $"Voucher {Id} is {Status} and valid through {ExpiresOn:yyyy-MM-dd}: nothing to remind."
            : null;
        return problem is null
            ? new VoucherChange(this with { RemindersSent = [.. RemindersSent, reminderDate] }, [])
            : new VoucherChange(this, [new("NoReminder", problem)]);
    }

    /// <summary>
    /// Records a SOW or POE upload as <see cref="RedemptionStatus.Received"/>, or lists every rule it breaks, judged
    /// as the kind it declares and in this order: first the declared kind's own rules (template, signatures, ECIF;
    /// users and workloads), whatever the document; then the document, stored once per voucher: the same document
    /// (same SHA-256) declared the same way is the redemption that holds it, so a retried blob drop changes nothing,
    /// and declared otherwise (another kind, template, users or workloads) it is refused with
    /// <see cref="DocumentAlreadyHeldCode"/> and <see cref="VoucherChange.Redemption"/> is the holder; last the
    /// voucher's state (expired, redeemed, already submitted, SOW not approved).
    /// </summary>
    public VoucherChange Submit(string redemptionId, RedemptionSubmission submission, DateTimeOffset now, BusinessCalendar offerDesk, VoucherOptions options)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentNullException.ThrowIfNull(offerDesk);
        ArgumentNullException.ThrowIfNull(options);
        var declared = DeclarationViolations(submission, options);
        if (declared.Count > 0)
        {
            return new VoucherChange(this, declared);
        }

        var holder = Redemptions.FirstOrDefault(r => string.Equals(r.Document.Sha256, submission.Document.Sha256, StringComparison.OrdinalIgnoreCase));
        if (holder is not null)
        {
            return holder.IsDeclaredAs(submission)
                ? new VoucherChange(this, [], holder)
                : new VoucherChange(this, [DocumentAlreadyHeld(holder)], holder);
        }

        var violations = StateViolations(submission, now);
        if (violations.Count > 0)
        {
            return new VoucherChange(this, violations);
        }

        var redemption = new Redemption(
            redemptionId,
            submission.Kind,
            RedemptionStatus.Received,
            now,
            offerDesk.AddBusinessTime(now, ProgramRules.OfferDeskReviewTarget),
            null,
            null,
            submission.UsersDeployed,
            submission.Workloads,
            submission.Document,
            submission.TemplateId);
        return new VoucherChange(this with { Status = VoucherStatus.Redeeming, Redemptions = [.. Redemptions, redemption] }, [], redemption);
    }

    /// <summary>The offer desk approves or rejects (with a reason) a Received redemption, by the expiry date.</summary>
    public VoucherChange Decide(string redemptionId, bool approve, string? reason, DateTimeOffset now)
    {
        var redemption = Redemptions.FirstOrDefault(r => string.Equals(r.Id, redemptionId, StringComparison.Ordinal));
        var violations = new List<RuleViolation>();
        if (redemption is null)
        {
            violations.Add(new("RedemptionNotFound", $"Voucher {Id} has no redemption {redemptionId}."));
        }
        else if (redemption.Status != RedemptionStatus.Received)
        {
            violations.Add(new("AlreadyDecided", $"Redemption {redemptionId} was already {redemption.Status}."));
        }

        if (!approve && string.IsNullOrWhiteSpace(reason))
        {
            violations.Add(new("ReasonRequired", "A rejection needs a reason."));
        }

        if (approve && IsPastExpiry(now))
        {
            violations.Add(new("VoucherExpired", $"Both SOW and POE must be approved by the expiry date, {ExpiresOn:yyyy-MM-dd}."));
        }

        if (violations.Count > 0)
        {
            return new VoucherChange(this, violations, redemption);
        }

        var decided = redemption! with
        {
            Status = approve ? RedemptionStatus.Approved : RedemptionStatus.Rejected,
            DecidedAt = now,
            Reason = approve ? null : reason,
        };
        var redemptions = Redemptions.Select(r => r.Id == redemptionId ? decided : r).ToList();
        var voucher = approve && decided.Kind == RedemptionKind.Poe
            ? this with { Redemptions = redemptions, Status = VoucherStatus.Redeemed, Payout = Payout.For(decided.UsersDeployed!.Value, MaxUsers, CapUsd, decided.SubmittedAt) }
            : this with { Redemptions = redemptions };
        return new VoucherChange(voucher, [], decided);
    }

    /// <summary>The expiry sweep: past its expiry date without an approved POE, the voucher is Expired.</summary>
    public VoucherChange Expire(DateTimeOffset now)
    {
        if (Status is VoucherStatus.Redeemed or VoucherStatus.Expired || !IsPastExpiry(now))
        {
            return new VoucherChange(this, [new("NotExpiring", $"Voucher {Id} is {Status} and valid through {ExpiresOn:yyyy-MM-dd}.")]);
        }

        return new VoucherChange(this with { Status = VoucherStatus.Expired }, []);
    }

    /// <summary>The declared kind's own rules (SPEC §9), which hold whatever the voucher and the document.</summary>
    private static List<RuleViolation> DeclarationViolations(RedemptionSubmission submission, VoucherOptions options)
    {
        var violations = new List<RuleViolation>();
        var official = submission.Kind == RedemptionKind.Sow ? options.SowTemplateIds : options.PoeTemplateIds;
        if (!official.Contains(submission.TemplateId))
        {
            violations.Add(new("NotOfficialTemplate", $"Template {submission.TemplateId} is not an official {submission.Kind} template ({string.Join(", ", official)})."));
        }

        if (!submission.SignedByCustomer)
        {
            violations.Add(new("NotSignedByCustomer", "The document must be signed by the customer."));
        }

        if (!submission.SignedByPartner)
        {
            violations.Add(new("NotSignedByPartner", "The document must be signed by the partner."));
        }

        if (submission.Kind == RedemptionKind.Sow)
        {
            if (submission.EcifFunded)
            {
                violations.Add(new("EcifFunded", "The offer cannot be combined with ECIF-funded deployment."));
            }

            return violations;
        }

        if (submission.UsersDeployed is not { } users || users < ProgramRules.PoeMinimumUsersDeployed)
        {
            violations.Add(new("TooFewUsers", $"The POE must declare at least {ProgramRules.PoeMinimumUsersDeployed} users deployed."));
        }

        var eligible = submission.Workloads.Count(ProgramRules.VoucherWorkloads.Contains);
        if (eligible < ProgramRules.PoeMinimumEligibleWorkloads)
        {
            violations.Add(new("TooFewEligibleWorkloads", $"The POE must cover at least {ProgramRules.PoeMinimumEligibleWorkloads} of Exchange Online, SharePoint Online, Teams and Microsoft 365 Apps (Power BI and Power Apps do not count); it covers {eligible}."));
        }

        return violations;
    }

    private RuleViolation DocumentAlreadyHeld(Redemption holder) => new(
        DocumentAlreadyHeldCode,
        $"This document is already redemption {holder.Id} of voucher {Id}: a {holder.Kind.ToString().ToUpperInvariant()} " +
        $"({holder.Status}) declared otherwise. A document is stored once; send the {holder.Kind.ToString().ToUpperInvariant()} " +
        "again exactly as declared then, or the right document for this one.");

    /// <summary>What the voucher's state allows, once the declaration holds and the document is new to the voucher.</summary>
    private List<RuleViolation> StateViolations(RedemptionSubmission submission, DateTimeOffset now)
    {
        var violations = new List<RuleViolation>();
        if (Status == VoucherStatus.Redeemed)
        {
            violations.Add(new("AlreadyRedeemed", $"Voucher {Id} is already redeemed."));
        }
        else if (Status == VoucherStatus.Expired || IsPastExpiry(now))
        {
            violations.Add(new("VoucherExpired", $"Voucher {Id} expired on {ExpiresOn:yyyy-MM-dd}."));
        }

        if (Redemptions.Any(r => r.Kind == submission.Kind && r.Status != RedemptionStatus.Rejected))
        {
            violations.Add(new($"{submission.Kind}AlreadySubmitted", $"A {submission.Kind} is already awaiting review or approved."));
        }

        if (submission.Kind == RedemptionKind.Poe && !Redemptions.Any(r => r.Kind == RedemptionKind.Sow && r.Status == RedemptionStatus.Approved))
        {
            violations.Add(new("SowNotApproved", "The SOW must be approved before the POE is submitted."));
        }

        return violations;
    }
}
