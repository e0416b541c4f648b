namespace FastTrack.Core.Privacy;

public static class PrivacyServiceCollectionExtensions
{
    /// <summary>Personal data requests (SPEC §10): the contact index intake writes, the processor, the API and the sweep.</summary>
    public static IServiceCollection AddPrivacyRequests(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PrivacyOptions>(configuration.GetSection(PrivacyOptions.Section));
        services.AddSingleton<ContactIndex>();
        services.AddSingleton<PrivacyRequests>();
        services.AddSingleton<SentMailArchive>();
        services.AddSingleton<PrivacyProcessor>();
        services.AddSingleton<PrivacyApi>();
        services.AddSingleton<PrivacySweep>();
        return services;
    }
}
