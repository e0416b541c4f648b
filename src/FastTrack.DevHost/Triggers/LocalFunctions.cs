using FastTrack.Core.Health;
using FastTrack.Core.Privacy;
using FastTrack.Core.Referrals;
using FastTrack.Core.Vouchers;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace FastTrack.DevHost.Triggers;

/// <summary>
/// The Functions app's timer, queue and blob functions, each with its name, trigger and core method, for the dev
/// host to run itself: timers on the app's clock (so the development clock moves them), queues and blobs by polling.
/// A test checks these against the functions the Functions app declares.
/// </summary>
public static class LocalFunctions
{
    public static IServiceCollection AddLocalFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        // Timers due at the same poll run in this order: the sweeps and the backfill before the heartbeat.
        services.AddSingleton<LocalTrigger>(new LocalTimerTrigger(
            VoucherSweep.FunctionName,
            VoucherSettings.SweepScheduleSetting,
            provider => Options<VoucherSettings>(provider).SweepSchedule,
            (provider, cancellationToken) => provider.GetRequiredService<VoucherSweep>().RunAsync(cancellationToken)));
        services.AddSingleton<LocalTrigger>(new LocalTimerTrigger(
            PrivacySweep.FunctionName,
            PrivacyOptions.SweepScheduleSetting,
            provider => Options<PrivacyOptions>(provider).SweepSchedule,
            (provider, cancellationToken) => provider.GetRequiredService<PrivacySweep>().RunAsync(
                provider.GetRequiredService<DurableTaskClient>(), cancellationToken)));
        services.AddSingleton<LocalTrigger>(new LocalTimerTrigger(
            ReferralIndexBackfill.FunctionName,
            ReferralOptions.IndexBackfillScheduleSetting,
            provider => Options<ReferralOptions>(provider).IndexBackfillSchedule,
            (provider, cancellationToken) => provider.GetRequiredService<ReferralIndexBackfill>().RunAsync(cancellationToken)));
        services.AddSingleton<LocalTrigger>(new LocalTimerTrigger(
            Heartbeat.FunctionName,
            HealthOptions.HeartbeatScheduleSetting,
            provider => Options<HealthOptions>(provider).HeartbeatSchedule,
            (provider, cancellationToken) => provider.GetRequiredService<Heartbeat>().BeatAsync(cancellationToken)));
        services.AddSingleton<LocalTrigger>(new LocalQueueTrigger(
            VoucherDispatcher.FunctionName,
            VoucherServiceCollectionExtensions.DispatchQueueName,
            (provider, message, cancellationToken) => provider.GetRequiredService<VoucherDispatcher>().OnQueueMessageAsync(message, cancellationToken)));
        services.AddSingleton<LocalTrigger>(new LocalBlobTrigger(
            RedemptionDrop.FunctionName,
            RedemptionDrop.InboxContainer,
            (provider, name, cancellationToken) => provider.GetRequiredService<RedemptionDrop>().ProcessAsync(name, cancellationToken)));

        services.Configure<TriggerLoopOptions>(configuration.GetSection(TriggerLoopOptions.Section));
        if (configuration.GetSection(TriggerLoopOptions.Section).Get<TriggerLoopOptions>()?.RunLocally ?? true)
        {
            services.AddHostedService<TimerLoop>();
            services.AddHostedService<QueueLoop>();
            services.AddHostedService<BlobLoop>();
        }

        return services;
    }

    private static T Options<T>(IServiceProvider provider)
        where T : class => provider.GetRequiredService<IOptions<T>>().Value;
}
