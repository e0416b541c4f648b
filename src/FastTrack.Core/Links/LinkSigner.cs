using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using FastTrack.Domain;
using Microsoft.Extensions.Options;

namespace FastTrack.Core.Links;

/// <summary>
/// Signs and verifies partner link tokens: <c>base64url(payload) "." base64url(HMAC-SHA256(key, payload))</c>.
/// The payload is a small binary record (version, key id, purpose, ids, attempt, expiry) rather than JSON, so a link
/// stays short enough for any mail client. The key id is inside the signed payload, so keys can rotate; it is the only
/// thing read from a token before its signature is checked.
/// </summary>
public sealed class LinkSigner
{
    /// <summary>Far above a real token (~150 characters); anything longer is refused before any decoding work.</summary>
    public const int MaximumTokenLength = 1024;

    private const byte FormatVersion = 1;
    private const int SignatureBytes = HMACSHA256.HashSizeInBytes;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly FrozenDictionary<string, byte[]> keys;
    private readonly string activeKeyId;

    public LinkSigner(IOptions<LinkOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;

        // Checked again here, not only at start-up: a signer built by hand must not sign with a short or missing key.
        if (new LinkOptionsValidator().Validate(null, value) is { Failed: true } result)
        {
            throw new OptionsValidationException(LinkOptions.Section, typeof(LinkOptions), result.Failures);
        }

        keys = value.SigningKeys.ToFrozenDictionary(
            entry => entry.Key, entry => LinkOptionsValidator.DecodeKey(entry.Value)!, StringComparer.OrdinalIgnoreCase);
        activeKeyId = value.ActiveKeyId!;
    }

    /// <summary>A token for these claims, signed with the active key.</summary>
    public string Create(LinkClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var payload = new ArrayBufferWriter<byte>(128);
        Write(payload, FormatVersion);
        WriteString(payload, activeKeyId);
        Write(payload, (byte)claims.Purpose);
        switch (claims)
        {
            case AssignmentLinkClaims assignment:
                WriteString(payload, assignment.ReferralId);
                WriteString(payload, assignment.PartId);
                BinaryPrimitives.WriteInt32BigEndian(payload.GetSpan(4), assignment.Attempt);
                payload.Advance(4);
                break;
            case VoucherLinkClaims voucher:
                WriteString(payload, voucher.VoucherId);
                break;
            case PartnerListLinkClaims:
                // The partner, written below, is all a list link names.
                break;
            default:
                throw new ArgumentException($"Unknown link claims {claims.GetType().Name}.", nameof(claims));
        }

        WriteString(payload, claims.PartnerId);
        BinaryPrimitives.WriteInt64BigEndian(payload.GetSpan(8), claims.ExpiresAt.ToUnixTimeSeconds());
        payload.Advance(8);

        var signature = HMACSHA256.HashData(keys[activeKeyId], payload.WrittenSpan);
        return $"{Base64Url.EncodeToString(payload.WrittenSpan)}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>Checks the token's form, key and signature, then its expiry against <paramref name="now"/>.</summary>
    public LinkVerification Verify(string? token, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaximumTokenLength)
        {
            return new LinkVerification.Invalid("The token is empty or too long.");
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || Decode(token.AsSpan(0, dot)) is not { } payload ||
            Decode(token.AsSpan(dot + 1)) is not { Length: SignatureBytes } signature)
        {
            return new LinkVerification.Invalid("The token is not two canonical base64url parts.");
        }

        var reader = new Reader(payload);
        if (reader.ReadByte() != FormatVersion || reader.ReadString() is not { } keyId)
        {
            return new LinkVerification.Invalid("The token's format version or key id is unreadable.");
        }

        if (!keys.TryGetValue(keyId, out var key))
        {
            return new LinkVerification.Invalid($"The token was signed with key '{keyId}', which is not configured.");
        }

        // Constant time, so the time taken tells an attacker nothing about how much of a forged signature was right.
        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, payload), signature))
        {
            return new LinkVerification.Invalid("The signature does not match.");
        }

        // Only a token we signed gets here, so a failure below means a format bug, not an attack; still, say Invalid.
        if (ReadClaims(ref reader) is not { } claims)
        {
            return new LinkVerification.Invalid("The signed payload is not a known link format.");
        }

        return now >= claims.ExpiresAt ? new LinkVerification.Expired(claims) : new LinkVerification.Valid(claims);
    }

    private static LinkClaims? ReadClaims(ref Reader reader)
    {
        if (reader.ReadByte() is not { } purposeByte)
        {
            return null;
        }

        var purpose = (LinkPurpose)purposeByte;
        if (purpose is LinkPurpose.List)
        {
            return ReadListClaims(ref reader);
        }

        var subjectId = reader.ReadString();
        var partId = purpose is LinkPurpose.Voucher ? "" : reader.ReadString();
        var attempt = purpose is LinkPurpose.Voucher ? 1 : reader.ReadInt32();
        var partnerId = reader.ReadString();
        var expiresAt = reader.ReadInt64();
        // The ids become storage keys: a token signed over an id the rule refuses (by a bug, or with a leaked key)
        // names nothing.
        if (!reader.AtEnd || !IdRule.IsValid(subjectId) || partId is null || !IdRule.IsValid(partnerId) ||
            attempt is not (>= 1 and int attemptNumber) ||
            expiresAt is not (>= 0 and long seconds) || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return null;
        }

        var expiry = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return purpose switch
        {
            LinkPurpose.Respond or LinkPurpose.Engagement when IdRule.IsValid(partId) =>
                new AssignmentLinkClaims(purpose, subjectId, partId, attemptNumber, partnerId, expiry),
            LinkPurpose.Voucher => new VoucherLinkClaims(subjectId, partnerId, expiry),
            _ => null,
        };
    }

    private static PartnerListLinkClaims? ReadListClaims(ref Reader reader)
    {
        var partnerId = reader.ReadString();
        var expiresAt = reader.ReadInt64();
        return reader.AtEnd && IdRule.IsValid(partnerId) &&
            expiresAt is >= 0 and long seconds && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? new PartnerListLinkClaims(partnerId, DateTimeOffset.FromUnixTimeSeconds(seconds))
            : null;
    }

    /// <summary>
    /// Decodes strict base64url: re-encoding must give back the same text. Decoders tolerate padding, whitespace and
    /// stray low bits in the last character; without this, several spellings of one token would all verify.
    /// </summary>
    private static byte[]? Decode(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return null;
        }

        var bytes = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        if (Base64Url.DecodeFromChars(text, bytes, out var consumed, out var written) != OperationStatus.Done ||
            consumed != text.Length)
        {
            return null;
        }

        bytes = bytes[..written];
        return Base64Url.EncodeToString(bytes).AsSpan().SequenceEqual(text) ? bytes : null;
    }

    private static void Write(ArrayBufferWriter<byte> writer, byte value)
    {
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    private static void WriteString(ArrayBufferWriter<byte> writer, string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        if (count > byte.MaxValue)
        {
            throw new ArgumentException($"'{value[..16]}…' is longer than a link can carry ({byte.MaxValue} UTF-8 bytes).", nameof(value));
        }

        Write(writer, (byte)count);
        writer.Advance(Encoding.UTF8.GetBytes(value, writer.GetSpan(count)));
    }

    /// <summary>Reads the payload; every read past the end yields null, and the caller refuses the token.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> data = data;
        private int position;

        public readonly bool AtEnd => position == data.Length;

        public byte? ReadByte() => TryTake(1, out var span) ? span[0] : null;

        public int? ReadInt32() => TryTake(4, out var span) ? BinaryPrimitives.ReadInt32BigEndian(span) : null;

        public long? ReadInt64() => TryTake(8, out var span) ? BinaryPrimitives.ReadInt64BigEndian(span) : null;

        public string? ReadString()
        {
            if (ReadByte() is not { } length || !TryTake(length, out var bytes))
            {
                return null;
            }

            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }

        private bool TryTake(int count, out ReadOnlySpan<byte> span)
        {
            if (data.Length - position < count)
            {
                // Past the end for good: AtEnd stays false, so a truncated payload can never pass.
                position = data.Length + 1;
                span = default;
                return false;
            }

            span = data.Slice(position, count);
            position += count;
            return true;
        }
    }
}
