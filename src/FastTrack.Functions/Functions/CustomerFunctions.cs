using FastTrack.Core.Calendars;
using FastTrack.Core.Customers;

namespace FastTrack.Functions.Functions;

/// <summary>Customer profiles and country holiday calendars (operations).</summary>
public sealed class CustomerFunctions(CustomersApi customers, CalendarsApi calendars)
{
    [Function("PutCustomer")]
    public async Task<IResult> PutCustomerAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = CustomersApi.CustomerRoute)] HttpRequest request,
        string tenantId,
        CancellationToken cancellationToken) =>
        await customers.PutAsync(request, tenantId, cancellationToken);

    [Function("GetCustomer")]
    public async Task<IResult> GetCustomerAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = CustomersApi.CustomerRoute)] HttpRequest request,
        string tenantId,
        CancellationToken cancellationToken) =>
        await customers.GetAsync(request, tenantId, cancellationToken);

    [Function("PutCalendar")]
    public async Task<IResult> PutCalendarAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = CalendarsApi.CalendarRoute)] HttpRequest request,
        string country,
        CancellationToken cancellationToken) =>
        await calendars.PutAsync(request, country, cancellationToken);

    [Function("GetCalendar")]
    public async Task<IResult> GetCalendarAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = CalendarsApi.CalendarRoute)] HttpRequest request,
        string country,
        CancellationToken cancellationToken) =>
        await calendars.GetAsync(request, country, cancellationToken);
}
