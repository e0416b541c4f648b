using FastTrack.Core;
using FastTrack.Core.Http;
using FastTrack.Core.Mail;
using FastTrack.Core.Referrals;
using FastTrack.Core.Storage;
using FastTrack.DevHost.DevTools;
using FastTrack.DevHost.Durable;
using FastTrack.DevHost.Triggers;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Extensions.Options;

namespace FastTrack.DevHost.Hosting;

/// <summary>Everything the dev host registers and maps, so that Program.cs stays a few lines.</summary>
public static class DevHostServices
{
    public const string DefaultUrl = "http://localhost:7071";

    public static WebApplicationBuilder AddDevHost(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settingsFile = builder.Configuration.AddLocalSettings(builder.Environment.ContentRootPath);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestLimits.MaxBodyBytes);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var services = builder.Services;
        if (builder.Environment.IsDevelopment())
        {
            // Registered first: the clock is restored before anything reads it.
            services.AddSingleton<DevelopmentClock>();
            services.AddSingleton<TimeProvider>(provider => provider.GetRequiredService<DevelopmentClock>());
            services.AddSingleton<DevelopmentClockStore>();
            services.AddHostedService(provider => provider.GetRequiredService<DevelopmentClockStore>());
            services.Configure<ReferralWorkflowOptions>(options => options.FollowAppClock = true);
        }
        else
        {
            builder.Logging.AddJsonConsole();
            services.AddSingleton(TimeProvider.System);
        }

        services.AddFastTrackCore(builder.Configuration);
        services.AddProblemDetails();
        services.AddExceptionHandler<ExceptionAnswers>();
        // The description names no server: served by the Functions app too, it is about whichever host serves it.
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "FastTrack Functions";
                document.Servers = null;
                return Task.CompletedTask;
            });
            options.AddOperationTransformer<QueryParametersTransformer>();
        });
        services.AddDurableTasks(builder.Configuration);
        services.AddLocalFunctions(builder.Configuration);
        services.AddHostedService(provider => new StartupLog(
            provider.GetRequiredService<ILogger<StartupLog>>(), provider.GetRequiredService<StorageAccount>(), settingsFile));
        if (builder.Environment.IsDevelopment())
        {
            AddDevelopmentTools(services, builder.Configuration);
        }

        return builder;
    }

    public static WebApplication MapDevHost(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();

        // An empty 4xx (no route, wrong method) as problem details whatever the Accept header: the default falls back
        // to plain text for a browser's text/html.
        app.UseStatusCodePages(context =>
            TypedResults.Problem(statusCode: context.HttpContext.Response.StatusCode).ExecuteAsync(context.HttpContext));
        app.MapFunctionRoutes();
        if (app.Environment.IsDevelopment())
        {
            app.MapDevApi();
            app.MapDevMailbox();
            app.MapRfaForm();
        }

        return app;
    }

    /// <summary>
    /// The mailbox behind a local Graph endpoint (unless <c>Mail__GraphBaseUrl</c> names another Graph), so the
    /// production sending code runs; the development clock; the demo data.
    /// </summary>
    private static void AddDevelopmentTools(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<DevMailbox>();
        services.AddSingleton<DevGraphEndpoint>();
        services.AddHostedService(provider => provider.GetRequiredService<DevGraphEndpoint>());
        services.Replace(ServiceDescriptor.Singleton(provider =>
            provider.GetRequiredService<IOptions<MailOptions>>().Value.GraphBaseUrl is null
                ? new GraphServiceClient(new AnonymousAuthenticationProvider(), provider.GetRequiredService<DevGraphEndpoint>().BaseUrl.ToString())
                : MailServiceCollectionExtensions.CreateGraphClient(provider)));
        services.AddDemoData(configuration);
    }
}
