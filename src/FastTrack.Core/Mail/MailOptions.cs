namespace FastTrack.Core.Mail;

/// <summary>
/// Section <c>Mail</c>. Credentials: a managed identity by default (<see cref="ManagedIdentityClientId"/> names a
/// user-assigned one), or a client secret when <see cref="TenantId"/>, <see cref="ClientId"/> and
/// <see cref="ClientSecret"/> are all set. The app needs the Graph application permission <c>Mail.Send</c>.
/// </summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>The scope of a Graph app-only token: the permissions granted to the app, whatever they are.</summary>
    public const string GraphScope = "https://graph.microsoft.com/.default";

    /// <summary>The mailbox (UPN or user id) the mail is sent as.</summary>
    public string SenderMailbox { get; set; } = "fasttrack@contoso.com";

    /// <summary>The referral processing team's mailbox, which gets escalations (SPEC §1).</summary>
    public string ProcessingTeamMailbox { get; set; } = "referral-processing@contoso.com";

    /// <summary>
    /// Where Graph is, e.g. a national cloud's <c>https://graph.microsoft.us/v1.0</c>. Unset: the public cloud, or in
    /// Development the app's own local Graph-compatible endpoint.
    /// </summary>
    public Uri? GraphBaseUrl { get; set; }

    public string? ManagedIdentityClientId { get; set; }

    public string? TenantId { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Development: the table the local endpoint stores mail in (tests give each app its own).</summary>
    public string DevMailboxTable { get; set; } = "DevMailbox";
}
