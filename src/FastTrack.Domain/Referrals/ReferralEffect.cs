using System.Text.Json.Serialization;

namespace FastTrack.Domain.Referrals;

/// <summary>Work to do once the decision is committed, recorded with it. Each is idempotent on its own fields.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "effect")]
[JsonDerivedType(typeof(NotifyPartner), nameof(NotifyPartner))]
[JsonDerivedType(typeof(SendAcceptanceConfirmation), nameof(SendAcceptanceConfirmation))]
[JsonDerivedType(typeof(NotifyCustomerOfAssignment), nameof(NotifyCustomerOfAssignment))]
[JsonDerivedType(typeof(NotifyReassignedAfterTimeout), nameof(NotifyReassignedAfterTimeout))]
[JsonDerivedType(typeof(EscalateToProcessingTeam), nameof(EscalateToProcessingTeam))]
[JsonDerivedType(typeof(SendCompletionReceipt), nameof(SendCompletionReceipt))]
[JsonDerivedType(typeof(RecordPartnerAssigned), nameof(RecordPartnerAssigned))]
[JsonDerivedType(typeof(RecordCapacityDeclineUsed), nameof(RecordCapacityDeclineUsed))]
[JsonDerivedType(typeof(PublishEvent), nameof(PublishEvent))]
public abstract record ReferralEffect;

/// <summary>Email the partner's referral contact the offer with accept/decline links bound to this attempt.</summary>
public sealed record NotifyPartner(string PartId, int Attempt, string PartnerId, DateTimeOffset DueAt) : ReferralEffect;

/// <summary>Email the partner that it holds the part, with complete/decline links bound to this attempt.</summary>
public sealed record SendAcceptanceConfirmation(string PartId, int Attempt, string PartnerId) : ReferralEffect;

/// <summary>"Your FastTrack Partner Assignment" to the customer contact (requestor copied when from Microsoft).</summary>
public sealed record NotifyCustomerOfAssignment(string PartId, string PartnerId) : ReferralEffect;

/// <summary>Tell the partner whose deadline passed that the part went to someone else.</summary>
public sealed record NotifyReassignedAfterTimeout(string PartId, string PartnerId) : ReferralEffect;

/// <summary>Email the referral processing team.</summary>
public sealed record EscalateToProcessingTeam(string PartId, string Reason) : ReferralEffect;

public sealed record SendCompletionReceipt(string PartId, string PartnerId) : ReferralEffect;

/// <summary>Set the partner's <c>lastAssignedAt</c>, which round robin reads.</summary>
public sealed record RecordPartnerAssigned(string PartnerId, DateTimeOffset At) : ReferralEffect;

/// <summary>The partner has used its one granted "at capacity" decline.</summary>
public sealed record RecordCapacityDeclineUsed(string PartnerId) : ReferralEffect;

/// <summary>An integration event for other systems.</summary>
public sealed record PublishEvent(HistoryKind Kind, string? PartId, ReferralStatus ReferralStatus) : ReferralEffect;
