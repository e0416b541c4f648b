using System.Text.Json.Serialization;
using FastTrack.Core.Auth;
using FastTrack.Core.Calendars;
using FastTrack.Core.Customers;
using FastTrack.Core.Events;
using FastTrack.Core.Health;
using FastTrack.Core.Http;
using FastTrack.Core.Links;
using FastTrack.Core.Mail;
using FastTrack.Core.Partners;
using FastTrack.Core.Privacy;
using FastTrack.Core.Referrals;
using FastTrack.Core.Storage;
using FastTrack.Core.Vouchers;

namespace FastTrack.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// Everything the features need, for either host: storage, keys, links, mail, the features and their HTTP APIs. The
    /// host adds its clock (<see cref="TimeProvider"/>), its Durable Task client and what only it has.
    /// </summary>
    public static IServiceCollection AddFastTrackCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStorage();
        services.Configure<AuthOptions>(configuration.GetSection(AuthOptions.Section));
        services.AddSingleton<FunctionKeys>();
        services.AddSingleton<HttpErrors>();
        services.AddPartnerLinks(configuration);
        services.AddMail(configuration);
        services.AddIntegrationEvents(configuration);
        services.Configure<HealthOptions>(configuration.GetSection(HealthOptions.Section));
        services.AddSingleton<Heartbeat>();
        services.AddSingleton<HealthApi>();
        services.AddSingleton<PartnerStore>();
        services.AddSingleton<PartnersApi>();
        services.AddSingleton<CustomerStore>();
        services.AddSingleton<CustomersApi>();
        services.AddSingleton<HolidayStore>();
        services.AddSingleton<CalendarsApi>();
        services.AddReferrals(configuration);
        services.AddVouchers(configuration);
        services.AddPrivacyRequests(configuration);
        services.AddSingleton<PartnerLinksApi>();

        // API.md: enums are strings, as everywhere else in the contract (camelCase is already the web default).
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        return services;
    }
}
