using System.Diagnostics.CodeAnalysis;

namespace FastTrack.Domain;

/// <summary>
/// The one rule for every id that comes from outside and becomes part of a storage key or a blob name (tenant,
/// partner, submission, referral, voucher, redemption, privacy request ids, and the ids inside link tokens): 1 to 128
/// characters, ASCII letters, digits, <c>-</c>, <c>_</c>, <c>.</c> and <c>~</c> (URL-unreserved), starting with a
/// letter or digit. Such an id is a valid table key (no <c>/ \ # ?</c> or control characters), blob name segment and
/// URL path segment as it is, without escaping, and can never be <c>..</c>.
/// </summary>
public static class IdRule
{
    public const int MaxLength = 128;

    public const string Description =
        "An id is 1 to 128 characters: ASCII letters, digits, '-', '_', '.' and '~', starting with a letter or digit.";

    public static bool IsValid([NotNullWhen(true)] string? id) =>
        id is { Length: > 0 and <= MaxLength } && char.IsAsciiLetterOrDigit(id[0]) && id.All(IsAllowed);

    /// <summary><see cref="Description"/> when <paramref name="id"/> breaks the rule, else null.</summary>
    public static string? Problem(string? id) => IsValid(id) ? null : Description;

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~';
}
