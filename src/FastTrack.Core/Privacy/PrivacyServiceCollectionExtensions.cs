using FastTrack.Functions.Triggers;

namespace FastTrack.Core.Privacy;

public static class PrivacyServiceCollectionExtensions
{
    /// <summary>Personal data requests (SPEC §10): the contact index intake writes, the processor, its functions.</summary>
    public static IServiceCollection AddPrivacyRequests(this IServiceCollection services)
    {
        services.AddSingleton<ContactIndex>();
        services.AddSingleton<PrivacyRequests>();
        services.AddSingleton<SentMailArchive>();
        services.AddSingleton<PrivacyProcessor>();
        services.AddTriggeredFunction<PrivacyRequestFunction>();
        services.AddTriggeredFunction<PrivacySweepFunction>();
        return services;
    }
}
