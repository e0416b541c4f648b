namespace FastTrack.Domain.Catalog;

/// <summary>What each decline reason demands, and the program's documented responses to refused ones [001].</summary>
public static class DeclineReasons
{
    public const string FastTrackCenterResponse = "Partners are Microsoft FastTrack representatives.";
    public const string AccountTeamResponse = "The partners deliver at the same level of excellence as the FTC.";
    public const string CapacityResponse =
        "While we would grant this on a one-time basis, partners are able to turn off referrals for a limited time " +
        "to manage capacity issues: please pause referrals instead.";

    /// <summary>The documented response when the reason is always refused; null when it can be granted.</summary>
    public static string? AlwaysRefusedResponse(DeclineReason reason) => reason switch
    {
        DeclineReason.CustomerPrefersFastTrackCenter => FastTrackCenterResponse,
        DeclineReason.AccountTeamDeclinesPartner => AccountTeamResponse,
        _ => null,
    };

    public static bool RequiresNotes(DeclineReason reason) =>
        reason is DeclineReason.CannotDeliverBenefit or DeclineReason.Other;
}
