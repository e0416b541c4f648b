using System.Security.Cryptography;
using FastTrack.Domain;
using FastTrack.Core.Links;
using Microsoft.Extensions.Options;
using Xunit;

namespace FastTrack.DevHost.Tests.Links;

public sealed class LinkSignerTests
{
    private static readonly string OldKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string NewKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Expiry = Now.AddDays(3);

    private static readonly AssignmentLinkClaims Respond =
        new(LinkPurpose.Respond, "ref-7f3a", "p2", 3, "contoso", Expiry);

    private static readonly char[] Base64UrlAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.".ToCharArray();

    internal static LinkSigner Signer(string activeKeyId = "k1", params (string Id, string Secret)[] keys)
    {
        var options = new LinkOptions { ActiveKeyId = activeKeyId };
        foreach (var (id, secret) in keys.Length == 0 ? [("k1", OldKey)] : keys)
        {
            options.SigningKeys[id] = secret;
        }

        return new LinkSigner(Options.Create(options));
    }

    [Fact]
    public void An_assignment_link_round_trips_its_claims()
    {
        var signer = Signer();

        var verification = signer.Verify(signer.Create(Respond), Now);

        Assert.Equal(new LinkVerification.Valid(Respond), verification);
    }

    [Fact]
    public void A_voucher_link_round_trips_its_claims()
    {
        var signer = Signer();
        var claims = new VoucherLinkClaims("v-123", "fabrikam", Expiry);

        Assert.Equal(new LinkVerification.Valid(claims), signer.Verify(signer.Create(claims), Now));
    }

    [Fact]
    public void A_partner_list_link_round_trips_its_partner_and_expires_like_the_others()
    {
        var signer = Signer();
        var claims = new PartnerListLinkClaims("fabrikam", Expiry);
        var token = signer.Create(claims);

        Assert.Equal(new LinkVerification.Valid(claims), signer.Verify(token, Now));
        Assert.Equal(new LinkVerification.Expired(claims), signer.Verify(token, Expiry));
        Assert.IsType<LinkVerification.Invalid>(Signer("k2", ("k2", NewKey)).Verify(token, Now));
    }

    [Fact]
    public void The_longest_ids_the_id_rule_admits_round_trip()
    {
        var signer = Signer();
        var longest = "a-._~" + new string('9', IdRule.MaxLength - 5);
        var claims = new AssignmentLinkClaims(LinkPurpose.Engagement, longest, longest, int.MaxValue, longest, Expiry);

        Assert.Equal(new LinkVerification.Valid(claims), signer.Verify(signer.Create(claims), Now));
    }

    [Theory]
    [InlineData("réf|7.\"<x>", "p1", "contoso")]
    [InlineData("ref-7f3a", "p/1", "contoso")]
    [InlineData("ref-7f3a", "p1", "partner ü 🙂")]
    [InlineData("..", "p1", "contoso")]
    public void An_assignment_token_whose_ids_break_the_id_rule_is_invalid_though_its_signature_holds(string referralId, string partId, string partnerId)
    {
        var signer = Signer();
        var claims = new AssignmentLinkClaims(LinkPurpose.Respond, referralId, partId, 1, partnerId, Expiry);

        Assert.IsType<LinkVerification.Invalid>(signer.Verify(signer.Create(claims), Now));
    }

    [Theory]
    [InlineData("CSO-1/../x", "contoso")]
    [InlineData("CSO-1", "contoso#us")]
    public void A_voucher_token_whose_ids_break_the_id_rule_is_invalid_though_its_signature_holds(string voucherId, string partnerId)
    {
        var signer = Signer();

        Assert.IsType<LinkVerification.Invalid>(signer.Verify(signer.Create(new VoucherLinkClaims(voucherId, partnerId, Expiry)), Now));
    }

    [Fact]
    public void A_token_is_url_safe_and_compact()
    {
        var token = Signer().Create(Respond);

        Assert.Matches("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$", token);
        Assert.InRange(token.Length, 1, 120);
    }

    [Fact]
    public void A_link_expires_at_its_expiry_instant()
    {
        var signer = Signer();
        var token = signer.Create(Respond);

        Assert.IsType<LinkVerification.Valid>(signer.Verify(token, Expiry.AddSeconds(-1)));
        Assert.Equal(new LinkVerification.Expired(Respond), signer.Verify(token, Expiry));
        Assert.Equal(new LinkVerification.Expired(Respond), signer.Verify(token, Expiry.AddYears(1)));
    }

    [Fact]
    public void Changing_any_one_character_of_a_token_makes_it_invalid()
    {
        var signer = Signer();
        var token = signer.Create(Respond);

        for (var position = 0; position < token.Length; position++)
        {
            foreach (var replacement in Base64UrlAlphabet.Where(c => c != token[position]))
            {
                var altered = string.Concat(token.AsSpan(0, position), replacement.ToString(), token.AsSpan(position + 1));
                var verification = signer.Verify(altered, Now);
                Assert.True(verification is LinkVerification.Invalid, $"'{altered}' (position {position}) was {verification}");
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("abc")]
    [InlineData("abc.def")]
    [InlineData("....")]
    [InlineData("AQ.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Garbage_is_invalid(string token)
    {
        Assert.IsType<LinkVerification.Invalid>(Signer().Verify(token, Now));
    }

    [Fact]
    public void Padding_whitespace_and_extra_parts_are_invalid()
    {
        var signer = Signer();
        var token = signer.Create(Respond);

        Assert.IsType<LinkVerification.Invalid>(signer.Verify(token + "=", Now));
        Assert.IsType<LinkVerification.Invalid>(signer.Verify(token + " ", Now));
        Assert.IsType<LinkVerification.Invalid>(signer.Verify(" " + token, Now));
        Assert.IsType<LinkVerification.Invalid>(signer.Verify(token + ".", Now));
        Assert.IsType<LinkVerification.Invalid>(signer.Verify(token + "." + token.Split('.')[1], Now));
        Assert.IsType<LinkVerification.Invalid>(signer.Verify(new string('A', LinkSigner.MaximumTokenLength + 1), Now));
    }

    [Fact]
    public void Random_input_is_invalid_and_never_throws()
    {
        var signer = Signer();
        var random = new Random(20261123);

        for (var i = 0; i < 5_000; i++)
        {
            var length = random.Next(0, 200);
            var token = new string(Enumerable.Range(0, length).Select(_ => Base64UrlAlphabet[random.Next(Base64UrlAlphabet.Length)]).ToArray());
            Assert.IsType<LinkVerification.Invalid>(signer.Verify(token, Now));
        }
    }

    [Fact]
    public void A_random_signature_is_invalid()
    {
        var signer = Signer();
        var payload = signer.Create(Respond).Split('.')[0];

        for (var i = 0; i < 100; i++)
        {
            var forged = payload + "." + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
            Assert.IsType<LinkVerification.Invalid>(signer.Verify(forged, Now));
        }
    }

    [Fact]
    public void A_token_signed_with_another_key_under_the_same_id_is_invalid()
    {
        var forger = Signer("k1", ("k1", NewKey));

        Assert.IsType<LinkVerification.Invalid>(Signer().Verify(forger.Create(Respond), Now));
    }

    [Fact]
    public void Claims_changed_and_re_encoded_without_the_key_are_invalid()
    {
        var signer = Signer();
        var parts = signer.Create(Respond).Split('.');
        var payload = System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]);

        // Flip each bit of the payload in turn (purpose, ids, attempt, partner, expiry), keeping the signature.
        for (var bit = 0; bit < payload.Length * 8; bit++)
        {
            var tampered = (byte[])payload.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            var token = System.Buffers.Text.Base64Url.EncodeToString(tampered) + "." + parts[1];
            Assert.IsType<LinkVerification.Invalid>(signer.Verify(token, Now));
        }
    }

    [Fact]
    public void The_purpose_is_signed_so_a_respond_link_cannot_become_an_engagement_or_voucher_link()
    {
        var signer = Signer();
        var parts = signer.Create(Respond).Split('.');
        var payload = System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]);
        var purposeAt = 2 + payload[1];
        Assert.Equal((byte)LinkPurpose.Respond, payload[purposeAt]);

        foreach (var purpose in new[] { LinkPurpose.Engagement, LinkPurpose.Voucher })
        {
            var swapped = (byte[])payload.Clone();
            swapped[purposeAt] = (byte)purpose;
            var token = System.Buffers.Text.Base64Url.EncodeToString(swapped) + "." + parts[1];
            Assert.IsType<LinkVerification.Invalid>(signer.Verify(token, Now));
        }
    }

    [Fact]
    public void Links_for_different_purposes_differ_and_each_keeps_its_own_purpose()
    {
        var signer = Signer();
        var respondToken = signer.Create(Respond);
        var engagementToken = signer.Create(new AssignmentLinkClaims(LinkPurpose.Engagement, "ref-7f3a", "p2", 3, "contoso", Expiry));

        Assert.NotEqual(respondToken, engagementToken);
        Assert.Equal(LinkPurpose.Respond, Assert.IsType<LinkVerification.Valid>(signer.Verify(respondToken, Now)).Claims.Purpose);
        Assert.Equal(LinkPurpose.Engagement, Assert.IsType<LinkVerification.Valid>(signer.Verify(engagementToken, Now)).Claims.Purpose);
    }

    [Fact]
    public void Rotation_old_links_verify_while_their_key_is_configured_and_new_links_use_the_active_key()
    {
        var before = Signer("old", ("old", OldKey));
        var oldToken = before.Create(Respond);
        var during = Signer("new", ("old", OldKey), ("new", NewKey));
        var after = Signer("new", ("new", NewKey));

        var newToken = during.Create(Respond);

        Assert.IsType<LinkVerification.Valid>(during.Verify(oldToken, Now));
        Assert.IsType<LinkVerification.Valid>(after.Verify(newToken, Now));
        Assert.IsType<LinkVerification.Invalid>(before.Verify(newToken, Now));
        Assert.Contains("'old'", Assert.IsType<LinkVerification.Invalid>(after.Verify(oldToken, Now)).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_signer_refuses_an_active_key_that_is_not_configured()
    {
        Assert.Throws<OptionsValidationException>(() => Signer("missing", ("k1", OldKey)));
    }

    [Fact]
    public void The_signer_refuses_a_short_key()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Signer("k1", ("k1", Convert.ToBase64String(new byte[31]))));

        Assert.Contains("has 31 bytes; at least 32 are needed", error.Message, StringComparison.Ordinal);
    }
}
