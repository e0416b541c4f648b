using FsCheck.Fluent;
using Xunit;

namespace FastTrack.Domain.Tests;

public class IdRuleTests
{
    [Theory]
    [InlineData("contoso-us")] // demo partner ids
    [InlineData("2f1c6a8e-5b7d-4c1a-9e3f-0a6b8c2d4e10")] // demo tenant ids, and the RFA form's crypto.randomUUID() submission ids
    [InlineData("CSO-94BA88688505BBC3")] // voucher ids
    [InlineData("459be0efa9d74e0e9958f18d0a953580")] // referral and privacy request ids (Guid "N")
    [InlineData("9a81bb9892ef4843")] // redemption ids
    [InlineData("p1")] // assignment part ids
    [InlineData("US")] // countries
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("a.b_c-d~e")]
    [InlineData("a..b")]
    [InlineData("trailing.")]
    public void Ids_the_app_stores_or_issues_keep_the_rule(string id) => Assert.Null(IdRule.Problem(id));

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a%2Fb")]
    [InlineData("a\u0000b")]
    [InlineData("a\u007fb")]
    [InlineData("tab\there")]
    [InlineData("..")]
    [InlineData("../etc")]
    [InlineData(".hidden")]
    [InlineData("-dash")]
    [InlineData("_under")]
    [InlineData("~tilde")]
    [InlineData("café")]
    [InlineData("\U0001F600")]
    [InlineData("１２３")] // full-width digits are digits, not ASCII
    [InlineData("a:b")]
    [InlineData("a*b")]
    public void Ids_with_other_characters_or_another_first_character_break_the_rule(string id) =>
        Assert.Equal(IdRule.Description, IdRule.Problem(id));

    [Fact]
    public void An_id_is_at_most_128_characters()
    {
        Assert.True(IdRule.IsValid(new string('x', 128)));
        Assert.False(IdRule.IsValid(new string('x', 129)));
        Assert.False(IdRule.IsValid(null));
    }

    [Fact]
    public void A_valid_id_is_its_own_URL_escaping_and_holds_nothing_a_table_key_refuses()
    {
        const string allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~";
        var ids =
            from length in Gen.Choose(1, IdRule.MaxLength)
            from characters in Gen.ArrayOf(Gen.Elements(allowed.ToCharArray()), length)
            select new string(characters);

        // Escaping changes nothing, so keys stored as Uri.EscapeDataString(id) (submissions) are the id itself.
        Properties.Hold(ids.Where(IdRule.IsValid), id =>
        {
            Assert.Equal(id, Uri.EscapeDataString(id));
            Assert.DoesNotContain(id, c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
            Assert.NotEqual("..", id);
        });
    }
}
