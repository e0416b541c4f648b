using System.Collections.Frozen;
using FastTrack.Domain.Catalog;

namespace FastTrack.Domain;

/// <summary>
/// Every limit of the program in one place, named as SPEC.md names it, so a rule change is one edit here.
/// </summary>
public static class ProgramRules
{
    // Referrals (SPEC §3, §5, §6, §8)
    public const int BenefitMinimumSeats = 150;
    public const int MaxPartsPerReferral = 3;
    public const int MaxReassignmentsPerPart = 5;
    public static readonly TimeSpan MaxPause = TimeSpan.FromDays(30);

    /// <summary>
    /// Excluded partners named one by one in a matching history entry; the rest are counted per reason. Keeps the entry
    /// small enough to store (a table property holds 32K characters) with 10,000 partners.
    /// </summary>
    public const int MaxExclusionsListedInHistory = 50;

    /// <summary>2 business days, counted as 48 hours of business-day time (SPEC §8).</summary>
    public static readonly TimeSpan PartnerResponseTime = TimeSpan.FromHours(48);

    /// <summary>The offer desk's review target for a redemption, on the same calendar (SPEC §8, §9).</summary>
    public static readonly TimeSpan OfferDeskReviewTarget = TimeSpan.FromHours(48);

    // Customer Success Offer vouchers (SPEC §9)
    public const int Tier1MinimumSeats = 500;
    public const int Tier2MinimumSeats = 5_000;
    public const decimal Tier1CapUsd = 25_000m;
    public const decimal Tier2CapUsd = 50_000m;
    public const decimal UsdPerUserDeployed = 15m;
    public const double LowUsageThreshold = 0.60;
    public const int LowUsageWorkloadsRequired = 2;
    public const int IntentionWindowDays = 30;
    public const int VoucherValidityDays = 180;
    public const int FirstReminderDaysBeforeExpiry = 30;
    public const int SecondReminderDaysBeforeExpiry = 7;
    public const int PoeMinimumUsersDeployed = 250;
    public const int PoeMinimumEligibleWorkloads = 2;
    public const int PaymentDaysAfterMonthEnd = 45;
    public const string DefaultSowTemplateId = "SOW-2023";
    public const string DefaultPoeTemplateId = "POE-2023";

    /// <summary>The four workloads the offer measures and pays for; Power BI and Power Apps are not among them.</summary>
    public static readonly FrozenSet<Workload> VoucherWorkloads = new[]
    {
        Workload.ExchangeOnline, Workload.SharePointOnline, Workload.Teams, Workload.M365Apps,
    }.ToFrozenSet();

    // Personal data (SPEC §10)
    public const int PrivacyRequestDays = 30;
}
