using FastTrack.Core.Outbox;
using FastTrack.Functions.Triggers;

namespace FastTrack.Core.Referrals;

public static class ReferralServiceCollectionExtensions
{
    /// <summary>The referral workflow: stores, runner, dispatcher, timers, and its triggered functions.</summary>
    public static IServiceCollection AddReferralWorkflow(this IServiceCollection services)
    {
        services.AddSingleton<ReferralStore>();
        services.AddSingleton<PendingDispatch>();
        services.AddSingleton<DispatchRequests>();
        services.AddSingleton<Deadlines>();
        services.AddOptions<EventOptions>().BindConfiguration(EventOptions.Section);
        services.AddSingleton<IntegrationEvents>();
        services.AddSingleton<ReferralContextLoader>();
        services.AddSingleton<ReferralWorkflow>();
        services.AddSingleton<ReferralIntakeService>();
        services.AddSingleton<OutboxRunner>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<ReferralMailer>();
        services.AddTriggeredFunction<ReferralSweepFunction>();
        services.AddTriggeredFunction<DispatchFunction>();
        services.AddTriggeredFunction<DeadlineFunction>();
        services.AddTriggeredFunction<IntegrationEventDispatchFunction>();
        return services;
    }
}
