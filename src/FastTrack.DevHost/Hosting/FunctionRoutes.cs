using FastTrack.Core.Calendars;
using FastTrack.Core.Customers;
using FastTrack.Core.Health;
using FastTrack.Core.Http;
using FastTrack.Core.Links;
using FastTrack.Core.Partners;
using FastTrack.Core.Privacy;
using FastTrack.Core.Referrals;
using FastTrack.Core.Vouchers;

namespace FastTrack.DevHost.Hosting;

/// <summary>
/// Every HTTP function of the Functions app, as a route of the dev host: the same route, the same core handler (an
/// instance method of the feature's API class, mapped as it is, so its name, summary and result types describe the
/// endpoint). A test checks these routes against the functions the Functions app declares.
/// </summary>
public static class FunctionRoutes
{
    public static IEndpointRouteBuilder MapFunctionRoutes(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var health = Api<HealthApi>(app);
        app.MapGet(HealthApi.HealthRoute, health.GetAsync);

        // The dev host generates the description from these routes; the Functions app serves the copy built into the
        // core, which a test keeps equal to it.
        app.MapOpenApi("/" + OpenApiDescription.DescriptionRoute);

        var partners = Api<PartnersApi>(app);
        app.MapGet(PartnersApi.ListRoute, partners.ListAsync);
        app.MapPut(PartnersApi.PartnerRoute, partners.PutAsync);
        app.MapGet(PartnersApi.PartnerRoute, partners.GetAsync);
        app.MapPost(PartnersApi.PauseRoute, partners.PauseAsync);

        var customers = Api<CustomersApi>(app);
        app.MapPut(CustomersApi.CustomerRoute, customers.PutAsync);
        app.MapGet(CustomersApi.CustomerRoute, customers.GetAsync);

        var calendars = Api<CalendarsApi>(app);
        app.MapPut(CalendarsApi.CalendarRoute, calendars.PutAsync);
        app.MapGet(CalendarsApi.CalendarRoute, calendars.GetAsync);

        var referrals = Api<ReferralsApi>(app);
        app.MapPost(ReferralsApi.ReferralsRoute, referrals.SubmitAsync);
        app.MapGet(ReferralsApi.ReferralsRoute, referrals.ListAsync);
        app.MapGet(ReferralsApi.ReferralRoute, referrals.GetAsync);

        var links = Api<PartnerLinksApi>(app);
        app.MapGet(PartnerLinksApi.LinkRoute, links.ShowAsync);
        app.MapPost(PartnerLinksApi.LinkRoute, links.ActAsync);

        var vouchers = Api<VouchersApi>(app);
        app.MapPost(VouchersApi.VouchersRoute, vouchers.IssueAsync);
        app.MapGet(VouchersApi.VoucherRoute, vouchers.GetAsync);
        app.MapPost(VouchersApi.DecisionRoute, vouchers.DecideAsync);
        app.MapGet(VouchersApi.OverdueRoute, vouchers.OverdueAsync);
        app.MapPost(RedemptionUploadsApi.RedemptionsRoute, Api<RedemptionUploadsApi>(app).UploadAsync);

        var privacy = Api<PrivacyApi>(app);
        app.MapPost(PrivacyApi.RequestsRoute, privacy.FileAsync);
        app.MapGet(PrivacyApi.RequestsRoute, privacy.ListOpenAsync);
        app.MapGet(PrivacyApi.RequestRoute, privacy.GetAsync);
        return app;
    }

    private static T Api<T>(IEndpointRouteBuilder app)
        where T : notnull => app.ServiceProvider.GetRequiredService<T>();
}
