using FastTrack.Functions.Hosting;

namespace FastTrack.Functions.Triggers;

public static class TriggerServiceCollectionExtensions
{
    public static IServiceCollection AddTriggeredFunction<TFunction>(this IServiceCollection services)
        where TFunction : class, ITriggeredFunction =>
        services.AddSingleton<ITriggeredFunction, TFunction>();

    /// <summary>The standalone trigger loop: on unless the Functions host runs us or <c>Triggers__RunLocally=false</c>.</summary>
    public static IServiceCollection AddLocalTriggerLoop(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<TriggerLoopOptions>(configuration.GetSection(TriggerLoopOptions.Section));
        var loopOptions = configuration.GetSection(TriggerLoopOptions.Section).Get<TriggerLoopOptions>() ?? new();
        if (!FunctionsHost.IsCustomHandler(configuration) && loopOptions.RunLocally)
        {
            services.AddHostedService<TimerLoop>();
            services.AddHostedService<QueueLoop>();
            services.AddHostedService<BlobLoop>();
        }

        return services;
    }
}
