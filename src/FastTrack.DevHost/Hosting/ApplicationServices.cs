using System.Text.Json.Serialization;
using FastTrack.Core.Auth;
using FastTrack.Core.Calendars;
using FastTrack.Core.Customers;
using FastTrack.Functions.DevTools;
using FastTrack.Core.Health;
using FastTrack.Core.Mail;
using FastTrack.Core.Links;
using FastTrack.Core.Partners;
using FastTrack.Core.Privacy;
using FastTrack.Core.Referrals;
using FastTrack.Functions.Triggers;
using FastTrack.Core.Vouchers;

namespace FastTrack.DevHost.Hosting;

/// <summary>Everything the app registers, so that Program.cs stays a few lines.</summary>
public static class ApplicationServices
{
    public static WebApplicationBuilder AddFastTrack(this WebApplicationBuilder builder)
    {
        var settingsFile = builder.Configuration.AddLocalSettings(builder.Environment.ContentRootPath);
        ConfigureListening(builder);
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.AddJsonConsole();
        }

        var services = builder.Services;
        if (builder.Environment.IsDevelopment())
        {
            services.AddSingleton<DevelopmentClock>();
            services.AddSingleton<TimeProvider>(provider => provider.GetRequiredService<DevelopmentClock>());
        }
        else
        {
            services.AddSingleton(TimeProvider.System);
        }

        services.AddStorage();
        services.AddFunctionKeyAuth(builder.Configuration);
        services.AddPartnerLinks(builder.Configuration);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();

        // A body or query value the framework cannot bind throws in every environment, not only in Development, so
        // that the exception handler answers it with its reason rather than an empty 400.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        // API.md: enums are strings, as everywhere else in the contract (camelCase is already the web default).
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddOpenApi();

        services.AddMail(builder.Configuration, builder.Environment);
        services.AddReferralWorkflow();
        services.AddVouchers(builder.Configuration);
        services.AddPrivacyRequests();

        // Timers due in the same poll run in this order: the sweep (registered above) before the heartbeat.
        services.AddTriggeredFunction<HeartbeatFunction>();
        services.AddLocalTriggerLoop(builder.Configuration);
        services.AddHostedService(provider => new StartupLog(
            provider.GetRequiredService<ILogger<StartupLog>>(), provider.GetRequiredService<StorageAccount>(), settingsFile));

        // Operations data: partner profiles, customers, holiday calendars.
        services.AddSingleton<PartnerStore>();
        services.AddSingleton<CustomerStore>();
        services.AddSingleton<HolidayStore>();
        services.AddDemoData(builder.Environment, builder.Configuration);
        return builder;
    }

    public static WebApplication MapFastTrack(this WebApplication app)
    {
        app.UseExceptionHandler();

        // An empty 4xx (no key, no route, wrong method) as problem details whatever the Accept header: the default
        // falls back to plain text for a browser's text/html.
        app.UseStatusCodePages(context =>
            TypedResults.Problem(statusCode: context.HttpContext.Response.StatusCode).ExecuteAsync(context.HttpContext));
        app.UseAuthentication();
        app.UseAuthorization();

        // The one document by name, so that any other name is the app's own 404 (problem details), not the
        // description endpoint's plain-text one.
        app.MapOpenApi("/openapi/v1.json");
        app.MapHealthApi();
        app.MapFunctionsApi();
        app.MapPartnersApi();
        app.MapCustomersApi();
        app.MapCalendarsApi();
        app.MapReferralsApi();
        app.MapReferralLinks();
        app.MapPrivacyApi();
        app.MapRfaForm();
        app.MapVouchersApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapDevApi();
            app.MapDevMailbox();
        }

        if (FunctionsHost.IsCustomHandler(app.Configuration))
        {
            app.MapFunctionInvocations();
        }

        return app;
    }

    /// <summary>
    /// Under the Functions host, listen where it says; standalone, on localhost:7071 unless told otherwise. Either way
    /// Kestrel serves the requests (the host proxies them), so its body limit holds in both.
    /// </summary>
    private static void ConfigureListening(WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestLimits.MaxBodyBytes);
        if (builder.Configuration[FunctionsHost.CustomHandlerPortSetting] is { Length: > 0 } port)
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }
        else if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(FunctionsHost.StandaloneUrl);
        }
    }
}
