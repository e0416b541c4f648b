using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using FastTrack.Domain.Referrals;

namespace FastTrack.Domain.Privacy;

/// <summary>
/// One person's data as erasure finds and removes it (SPEC §10). A field that holds only their data (a contact's
/// name, email, phone) is replaced whole by <see cref="Erased"/>; free text people wrote (RFA notes, decline reasons,
/// completion notes) keeps its words and loses each occurrence of their values, so the history still reads.
/// </summary>
public sealed class PersonalData
{
    /// <summary>What an erased field reads afterwards.</summary>
    public const string Erased = "[erased]";

    private readonly Regex? _occurrence;

    /// <summary>The person's values (name, email, phone); blank ones are ignored.</summary>
    public PersonalData(IEnumerable<string?> values)
    {
        // Longest first, so a name is not half-replaced by a shorter value inside it; whole words only, so a short
        // name does not take letters out of other words.
        var alternatives = values
            .Where(value => !string.IsNullOrWhiteSpace(value) && !IsErased(value))
            .Select(value => value!.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(value => value.Length)
            .Select(Regex.Escape)
            .ToList();
        _occurrence = alternatives.Count == 0
            ? null
            : new Regex(
                $@"(?<!\w)(?:{string.Join('|', alternatives)})(?!\w)",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
                TimeSpan.FromSeconds(1));
    }

    public static bool IsErased(string? value) => string.Equals(value, Erased, StringComparison.Ordinal);

    /// <summary>The form every lookup by email uses: trimmed, lower case.</summary>
    public static string NormalizeEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToLowerInvariant();
    }

    public static bool SameEmail(string? a, string? b) =>
        a is not null && b is not null && !IsErased(a) && NormalizeEmail(a) == NormalizeEmail(b);

    /// <summary>
    /// The key an index finds a person's records by without holding their address: SHA-256 of the normalised email,
    /// in hex. Erasure deletes the person's index rows, so the key is never left pointing at erased data.
    /// </summary>
    public static string EmailKey(string email) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(NormalizeEmail(email)))).ToLower(CultureInfo.InvariantCulture);

    public bool IsMentionedIn(string? text) => text is not null && _occurrence?.IsMatch(text) == true;

    /// <summary>The text with each occurrence of the person's values replaced by <see cref="Erased"/>.</summary>
    public string? Redact(string? text) =>
        text is null || _occurrence is null ? text : _occurrence.Replace(text, Erased);

    public HistoryEntry Redact(HistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry with { Reason = Redact(entry.Reason), Details = Redact(entry.Details) };
    }

    /// <summary>The referral with its partners' completion notes redacted; everything else holds no personal data.</summary>
    public Referral Redact(Referral referral)
    {
        ArgumentNullException.ThrowIfNull(referral);
        return referral with
        {
            Parts = [.. referral.Parts.Select(part => part.Completion is { } completion
                ? part with { Completion = completion with { Notes = Redact(completion.Notes) } }
                : part)],
        };
    }
}
