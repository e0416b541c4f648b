using FastTrack.Core.Links;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace FastTrack.DevHost.Tests.Links;

/// <summary>The app itself refuses to start with bad link settings, and builds links with good ones. No storage is touched.</summary>
public sealed class LinkStartupTests
{
    private static readonly string Nowhere = AzuriteInstance.ConnectionStringFor(1, 2, 3);

    [Fact]
    public void The_app_does_not_start_when_the_active_key_is_not_configured()
    {
        using var app = new FastTrackApp(Nowhere, new Dictionary<string, string?> { ["Links:ActiveKeyId"] = "retired", ["Triggers:RunLocally"] = "false" });

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("Links__ActiveKeyId 'retired' is not among the signing keys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_app_builds_links_under_its_public_base_url_that_it_can_verify()
    {
        using var app = new FastTrackApp(Nowhere, new Dictionary<string, string?> { ["Links:PublicBaseUrl"] = "https://partners.example.com", ["Triggers:RunLocally"] = "false" });
        var links = app.Services.GetRequiredService<PartnerLinks>();
        var now = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

        var link = links.Respond("r1", "p1", 1, "contoso", now.AddDays(2));

        Assert.StartsWith("https://partners.example.com/api/links/", link.AbsoluteUri, StringComparison.Ordinal);
        Assert.IsType<LinkVerification.Valid>(app.Services.GetRequiredService<LinkSigner>().Verify(link.Segments[^1], now));
    }
}
