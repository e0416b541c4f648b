using FastTrack.Core;
using Microsoft.Azure.Functions.Worker.Builder;

namespace FastTrack.Functions.Hosting;

/// <summary>What the Functions app registers, so that Program.cs stays a few lines.</summary>
public static class FunctionsServices
{
    public static FunctionsApplicationBuilder AddFastTrackFunctions(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseMiddleware<ExceptionAnswers>();
        builder.Services
            .AddApplicationInsightsTelemetryWorkerService()
            .ConfigureFunctionsApplicationInsights();

        // Azure's clock: orchestrations wait on durable timers, nothing moves the time here (the development clock is
        // the dev host's).
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddFastTrackCore(builder.Configuration);
        return builder;
    }
}
