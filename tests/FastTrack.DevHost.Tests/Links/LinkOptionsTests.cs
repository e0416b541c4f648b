using System.Security.Cryptography;
using FastTrack.Core.Links;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace FastTrack.DevHost.Tests.Links;

public sealed class LinkOptionsTests
{
    private static readonly string GoodKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static List<string> Problems(LinkOptions options) =>
        new LinkOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void Valid_options_have_no_problems()
    {
        var options = new LinkOptions { ActiveKeyId = "k1" };
        options.SigningKeys["k1"] = GoodKey;

        Assert.Empty(Problems(options));
    }

    [Fact]
    public void Missing_keys_and_active_key_are_both_named()
    {
        var problems = Problems(new LinkOptions());

        Assert.Contains(problems, p => p.StartsWith("No link signing key", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ActiveKeyId is not set", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_listed()
    {
        var options = new LinkOptions
        {
            ActiveKeyId = "k9",
            PublicBaseUrl = new Uri("/relative", UriKind.Relative),
            RespondGracePeriod = TimeSpan.FromHours(-1),
            EngagementLinkLifetime = TimeSpan.Zero,
            VoucherLinkLifetime = TimeSpan.FromDays(-1),
        };
        options.SigningKeys["short"] = Convert.ToBase64String(new byte[16]);
        options.SigningKeys["not base64"] = "%%%";

        var problems = Problems(options);

        Assert.Contains("Link signing key 'short' has 16 bytes; at least 32 are needed.", problems);
        Assert.Contains("Link signing key 'not base64' is not valid base64.", problems);
        Assert.Contains(problems, p => p.StartsWith("Link signing key id 'not base64' must be", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Links__ActiveKeyId 'k9' is not among the signing keys", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Links__PublicBaseUrl", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Links__RespondGracePeriod", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Links__EngagementLinkLifetime", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Links__VoucherLinkLifetime", StringComparison.Ordinal));
        Assert.Equal(8, problems.Count);
    }

    [Fact]
    public void Settings_bind_from_configuration_and_links_are_absolute_under_the_public_base_url()
    {
        using var provider = Services(new Dictionary<string, string?>
        {
            ["Links:SigningKeys:k2026"] = GoodKey,
            ["Links:ActiveKeyId"] = "k2026",
            ["Links:PublicBaseUrl"] = "https://fasttrack.example.com/",
            ["Links:RespondGracePeriod"] = "02:00:00",
        });
        var links = provider.GetRequiredService<PartnerLinks>();
        var dueAt = new DateTimeOffset(2026, 11, 24, 15, 0, 0, TimeSpan.Zero);

        var link = links.Respond("r1", "p1", 1, "contoso", dueAt);

        Assert.StartsWith("https://fasttrack.example.com/api/links/", link.AbsoluteUri, StringComparison.Ordinal);
        var token = link.AbsolutePath["/api/links/".Length..];
        var claims = Assert.IsType<LinkVerification.Valid>(provider.GetRequiredService<LinkSigner>().Verify(token, dueAt)).Claims;
        Assert.Equal(dueAt.AddHours(2), claims.ExpiresAt);
    }

    [Fact]
    public void Engagement_and_voucher_links_live_as_long_as_configured()
    {
        using var provider = Services(new Dictionary<string, string?>
        {
            ["Links:SigningKeys:k1"] = GoodKey,
            ["Links:ActiveKeyId"] = "k1",
        });
        var links = provider.GetRequiredService<PartnerLinks>();
        var signer = provider.GetRequiredService<LinkSigner>();
        var at = new DateTimeOffset(2026, 11, 24, 15, 0, 0, TimeSpan.Zero);

        LinkClaims Claims(Uri link) =>
            Assert.IsType<LinkVerification.Valid>(signer.Verify(link.Segments[^1], at)).Claims;

        Assert.Equal(at.AddDays(180), Claims(links.Engagement("r1", "p1", 1, "contoso", at)).ExpiresAt);
        Assert.Equal(at.AddDays(181), Claims(links.Voucher("v1", "contoso", at)).ExpiresAt);
        Assert.Equal(LinkPurpose.Voucher, Claims(links.Voucher("v1", "contoso", at)).Purpose);
    }

    [Fact]
    public void Startup_validation_names_the_problem()
    {
        using var provider = Services(new Dictionary<string, string?> { ["Links:SigningKeys:k1"] = GoodKey });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<LinkOptions>>().Value);

        Assert.Contains("ActiveKeyId is not set", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddPartnerLinks(configuration).BuildServiceProvider();
    }
}
