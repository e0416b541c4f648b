using System.Buffers.Text;
using System.Text;

namespace FastTrack.Core.Http;

/// <summary>
/// The opaque <c>continuationToken</c> of a paged list: a position (a key the list continues after) as base64url, so
/// that it travels in a query string unescaped and clients do not read meaning into it.
/// </summary>
public static class ContinuationTokens
{
    /// <summary>Far above any position a list writes; longer tokens are refused before decoding.</summary>
    public const int MaximumLength = 512;

    public static string? Create(string? position) =>
        position is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(position));

    /// <summary>The position, or null when the token is not one a list issued (<paramref name="isPosition"/> says which positions are).</summary>
    public static string? Read(string token, Func<string, bool> isPosition)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(isPosition);
        if (token.Length is 0 or > MaximumLength)
        {
            return null;
        }

        var bytes = new byte[Base64Url.GetMaxDecodedLength(token.Length)];
        if (Base64Url.DecodeFromChars(token, bytes, out var consumed, out var written) != System.Buffers.OperationStatus.Done ||
            consumed != token.Length)
        {
            return null;
        }

        string position;
        try
        {
            position = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        return isPosition(position) ? position : null;
    }
}
