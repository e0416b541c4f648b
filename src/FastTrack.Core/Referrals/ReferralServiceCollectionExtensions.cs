namespace FastTrack.Core.Referrals;

public static class ReferralServiceCollectionExtensions
{
    /// <summary>
    /// The referrals: store, lists' index and its backfill, intake, commands, the workflow's activity and what it
    /// performs, and the API.
    /// </summary>
    public static IServiceCollection AddReferrals(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReferralWorkflowOptions>();
        services.Configure<ReferralOptions>(configuration.GetSection(ReferralOptions.Section));
        services.AddSingleton<ReferralStore>();
        services.AddSingleton<ReferralIndex>();
        services.AddSingleton<ReferralIndexBackfill>();
        services.AddSingleton<ReferralContextLoader>();
        services.AddSingleton<ReferralCommands>();
        services.AddSingleton<ReferralIntakeService>();
        services.AddSingleton<ReferralMailer>();
        services.AddSingleton<ReferralEffects>();
        services.AddSingleton<ReferralsApi>();
        return services;
    }
}
