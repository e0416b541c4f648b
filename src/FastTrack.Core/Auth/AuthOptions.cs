namespace FastTrack.Core.Auth;

/// <summary>The function keys, one per role (settings <c>Auth__IntakeKey</c>, <c>Auth__OperationsKey</c>, <c>Auth__OfferDeskKey</c>).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public string? IntakeKey { get; set; }

    public string? OperationsKey { get; set; }

    public string? OfferDeskKey { get; set; }

    internal IEnumerable<(string Role, string Key)> Keys()
    {
        (string Role, string? Key)[] all =
            [(Roles.Intake, IntakeKey), (Roles.Operations, OperationsKey), (Roles.OfferDesk, OfferDeskKey)];
        return all.Where(entry => !string.IsNullOrEmpty(entry.Key)).Select(entry => (entry.Role, entry.Key!));
    }
}
