using Microsoft.Extensions.Options;

namespace FastTrack.Core.Links;

public static class LinkServiceCollectionExtensions
{
    /// <summary>Link options (validated when the app starts, so a missing or short key stops a deployment at once), the signer and the link builder.</summary>
    public static IServiceCollection AddPartnerLinks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LinkOptions>().Bind(configuration.GetSection(LinkOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LinkOptions>, LinkOptionsValidator>();
        services.AddSingleton<LinkSigner>();
        services.AddSingleton<PartnerLinks>();
        services.AddSingleton<PartnerReferralList>();
        return services;
    }
}
