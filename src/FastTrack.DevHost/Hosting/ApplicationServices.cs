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
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json");
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

    /// <summary>Under the Functions host, listen where it says; standalone, on localhost:7071 unless told otherwise.</summary>
    private static void ConfigureListening(WebApplicationBuilder builder)
    {
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
