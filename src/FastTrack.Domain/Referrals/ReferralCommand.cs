using System.Text.Json.Serialization;
using FastTrack.Domain.Catalog;

namespace FastTrack.Domain.Referrals;

/// <summary>Something asked of a referral. Partner commands name the part, the attempt and the partner their link was bound to.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "command")]
[JsonDerivedType(typeof(Submit), nameof(Submit))]
[JsonDerivedType(typeof(Accept), nameof(Accept))]
[JsonDerivedType(typeof(Decline), nameof(Decline))]
[JsonDerivedType(typeof(TimeOut), nameof(TimeOut))]
[JsonDerivedType(typeof(Complete), nameof(Complete))]
[JsonDerivedType(typeof(Escalate), nameof(Escalate))]
public abstract record ReferralCommand;

/// <summary>Match the RFA and offer the parts.</summary>
public sealed record Submit : ReferralCommand;

public sealed record Accept(string PartId, int Attempt, string PartnerId) : ReferralCommand;

public sealed record Decline(string PartId, int Attempt, string PartnerId, DeclineReason Reason, string? Notes) : ReferralCommand;

/// <summary>The SLA timer of one assignment fired.</summary>
public sealed record TimeOut(string PartId, int Attempt) : ReferralCommand;

public sealed record Complete(
    string PartId,
    int Attempt,
    string PartnerId,
    bool ValueAddedServicesSold,
    decimal EstimatedValue,
    string Currency,
    string? Notes) : ReferralCommand;

/// <summary>Operations hand an offered part to the referral processing team (e.g. the partner cannot be reached).</summary>
public sealed record Escalate(string PartId, string Actor, string Reason) : ReferralCommand;
