namespace FastTrack.Core.Auth;

/// <summary>The roles a function key maps to (API.md "Keys and roles"); each is also an authorization policy.</summary>
public static class Roles
{
    public const string Intake = "intake";
    public const string Operations = "operations";
    public const string OfferDesk = "offerdesk";
}
