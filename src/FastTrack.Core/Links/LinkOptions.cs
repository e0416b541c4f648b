using Microsoft.Extensions.Options;

namespace FastTrack.Core.Links;

/// <summary>
/// Settings of the partner links (section <c>Links</c>). Keys rotate: add a new key, make it active, and remove the old
/// one once the links it signed no longer matter (the longest link lifetime after the switch).
/// </summary>
public sealed class LinkOptions
{
    public const string Section = "Links";

    /// <summary>HMAC-SHA256 wants at least as many key bytes as its output (RFC 2104 §3).</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>The key id travels in every token, so it stays short and URL-safe.</summary>
    public const int MaximumKeyIdLength = 32;

    /// <summary>Key id → base64 secret of at least <see cref="MinimumKeyBytes"/> bytes. Every key listed verifies.</summary>
    public IDictionary<string, string> SigningKeys { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The key that signs new links.</summary>
    public string? ActiveKeyId { get; set; }

    /// <summary>Links are <c>{PublicBaseUrl}/api/links/{token}</c>: the address partners reach the app at.</summary>
    public Uri PublicBaseUrl { get; set; } = new("http://localhost:7071");

    /// <summary>A respond link stays usable this long after the SLA deadline (a late accept can still find the part unassigned).</summary>
    public TimeSpan RespondGracePeriod { get; set; } = TimeSpan.FromDays(1);

    /// <summary>An engagement link (complete or decline after accepting) lives this long from the acceptance.</summary>
    public TimeSpan EngagementLinkLifetime { get; set; } = TimeSpan.FromDays(180);

    /// <summary>
    /// A voucher link lives this long from issue: the voucher's 180 days through the end of its last day. The voucher
    /// rules refuse a late redemption anyway; this bounds how long a leaked link is worth anything.
    /// </summary>
    public TimeSpan VoucherLinkLifetime { get; set; } = TimeSpan.FromDays(181);

    /// <summary>A "Your referrals" link lives this long from the email it came in (issue 16: 30 days).</summary>
    public TimeSpan ListLinkLifetime { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>Checks <see cref="LinkOptions"/> at start-up and names every problem, so a bad deployment fails at once.</summary>
public sealed class LinkOptionsValidator : IValidateOptions<LinkOptions>
{
    public ValidateOptionsResult Validate(string? name, LinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.SigningKeys.Count == 0)
        {
            problems.Add($"No link signing key: set {LinkOptions.Section}__SigningKeys__<keyId> to a base64 secret of at least {LinkOptions.MinimumKeyBytes} bytes, and {LinkOptions.Section}__ActiveKeyId to that key id.");
        }

        foreach (var (keyId, secret) in options.SigningKeys)
        {
            if (!IsValidKeyId(keyId))
            {
                problems.Add($"Link signing key id '{keyId}' must be 1 to {LinkOptions.MaximumKeyIdLength} characters among A-Z, a-z, 0-9, '-' and '_'.");
            }

            if (DecodeKey(secret) is not { } bytes)
            {
                problems.Add($"Link signing key '{keyId}' is not valid base64.");
            }
            else if (bytes.Length < LinkOptions.MinimumKeyBytes)
            {
                problems.Add($"Link signing key '{keyId}' has {bytes.Length} bytes; at least {LinkOptions.MinimumKeyBytes} are needed.");
            }
        }

        if (string.IsNullOrEmpty(options.ActiveKeyId))
        {
            problems.Add($"{LinkOptions.Section}__ActiveKeyId is not set: name the signing key that signs new links.");
        }
        else if (!options.SigningKeys.ContainsKey(options.ActiveKeyId))
        {
            problems.Add($"{LinkOptions.Section}__ActiveKeyId '{options.ActiveKeyId}' is not among the signing keys ({string.Join(", ", options.SigningKeys.Keys.Order(StringComparer.Ordinal))}).");
        }

        if (!options.PublicBaseUrl.IsAbsoluteUri || options.PublicBaseUrl.Scheme is not ("http" or "https"))
        {
            problems.Add($"{LinkOptions.Section}__PublicBaseUrl '{options.PublicBaseUrl}' must be an absolute http or https URL.");
        }

        AddIfNotPositive(problems, nameof(LinkOptions.RespondGracePeriod), options.RespondGracePeriod, allowZero: true);
        AddIfNotPositive(problems, nameof(LinkOptions.EngagementLinkLifetime), options.EngagementLinkLifetime, allowZero: false);
        AddIfNotPositive(problems, nameof(LinkOptions.VoucherLinkLifetime), options.VoucherLinkLifetime, allowZero: false);
        AddIfNotPositive(problems, nameof(LinkOptions.ListLinkLifetime), options.ListLinkLifetime, allowZero: false);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    internal static bool IsValidKeyId(string keyId) =>
        keyId.Length is > 0 and <= LinkOptions.MaximumKeyIdLength &&
        keyId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    internal static byte[]? DecodeKey(string? secret)
    {
        var buffer = new byte[((secret?.Length ?? 0) * 3 / 4) + 3];
        return Convert.TryFromBase64String(secret ?? "", buffer, out var written) && written > 0 ? buffer[..written] : null;
    }

    private static void AddIfNotPositive(List<string> problems, string setting, TimeSpan value, bool allowZero)
    {
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
        {
            problems.Add($"{LinkOptions.Section}__{setting} must be {(allowZero ? "zero or more" : "more than zero")}; it is {value}.");
        }
    }
}
