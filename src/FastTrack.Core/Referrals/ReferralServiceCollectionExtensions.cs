using FastTrack.Core.Outbox;

namespace FastTrack.Core.Referrals;

public static class ReferralServiceCollectionExtensions
{
    /// <summary>The referral workflow: stores, runner, dispatcher, timers, its trigger handlers and its API.</summary>
    public static IServiceCollection AddReferralWorkflow(this IServiceCollection services)
    {
        services.AddSingleton<ReferralStore>();
        services.AddSingleton<PendingDispatch>();
        services.AddSingleton<DispatchRequests>();
        services.AddSingleton<Deadlines>();
        services.AddSingleton<ReferralContextLoader>();
        services.AddSingleton<ReferralWorkflow>();
        services.AddSingleton<ReferralIntakeService>();
        services.AddSingleton<OutboxRunner>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<ReferralMailer>();
        services.AddSingleton<ReferralTriggers>();
        services.AddSingleton<ReferralsApi>();
        return services;
    }
}
