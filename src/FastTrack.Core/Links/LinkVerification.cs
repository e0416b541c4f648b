namespace FastTrack.Core.Links;

/// <summary>What <see cref="LinkSigner.Verify"/> found: a valid link, an authentic but expired one, or an invalid one.</summary>
public abstract record LinkVerification
{
    private LinkVerification()
    {
    }

    /// <summary>Authentic and in date.</summary>
    public sealed record Valid(LinkClaims Claims) : LinkVerification;

    /// <summary>Authentic (the signature holds) but past <see cref="LinkClaims.ExpiresAt"/>: the claims can name what expired.</summary>
    public sealed record Expired(LinkClaims Claims) : LinkVerification;

    /// <summary>Malformed, forged, altered or signed with a key no longer configured. The reason is for logs, not for the partner.</summary>
    public sealed record Invalid(string Reason) : LinkVerification;
}
