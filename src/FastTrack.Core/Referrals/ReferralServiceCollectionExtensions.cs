namespace FastTrack.Core.Referrals;

public static class ReferralServiceCollectionExtensions
{
    /// <summary>The referrals: store, intake, commands, the workflow's activity and what it performs, and the API.</summary>
    public static IServiceCollection AddReferrals(this IServiceCollection services)
    {
        services.AddOptions<ReferralWorkflowOptions>();
        services.AddSingleton<ReferralStore>();
        services.AddSingleton<ReferralIndex>();
        services.AddSingleton<ReferralContextLoader>();
        services.AddSingleton<ReferralCommands>();
        services.AddSingleton<ReferralIntakeService>();
        services.AddSingleton<ReferralMailer>();
        services.AddSingleton<ReferralEffects>();
        services.AddSingleton<ReferralsApi>();
        return services;
    }
}
