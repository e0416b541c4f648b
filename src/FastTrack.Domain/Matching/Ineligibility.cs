namespace FastTrack.Domain.Matching;

/// <summary>Every way a partner can fail eligibility (SPEC §5 rule 1). A partner may fail several at once.</summary>
[Flags]
public enum Ineligibility
{
    None = 0,
    NotFpc = 1 << 0,
    NotReferralReady = 1 << 1,
    NotFrp = 1 << 2,
    NotOptedInForBenefit = 1 << 3,
    Paused = 1 << 4,
    LanguageNotServed = 1 << 5,
    CountryNotServed = 1 << 6,
    SegmentNotServed = 1 << 7,
    SeatsOutOfRange = 1 << 8,
    NotEndorsed = 1 << 9,
    AlreadyDeclinedOrTimedOut = 1 << 10,
}
