namespace FastTrack.Domain.Catalog;

/// <summary>Why a partner declines an assignment (SPEC §6). The last two are always refused.</summary>
public enum DeclineReason
{
    CustomerWorkingWithAnotherPartner,
    CustomerUnresponsive,
    CustomerLegalOrPolitical,
    CustomerTypeNotSupported,
    LanguageNotSupported,
    CannotDeliverBenefit,
    PartnerAtCapacity,
    Other,
    CustomerPrefersFastTrackCenter,
    AccountTeamDeclinesPartner,
}
