using System.Globalization;
using System.Text.Json;
using FastTrack.Core.Auth;
using FastTrack.Core.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FastTrack.Core.Calendars;

/// <summary>Public holiday calendars per country (API.md "Operations data", SPEC §8). Operations key only.</summary>
public sealed class CalendarsApi(HolidayStore store, FunctionKeys keys)
{
    public const string CalendarRoute = "api/calendars/{country}";

    [EndpointName("PutCalendar"), Tags("Calendars")]
    [EndpointSummary("Replaces a country's public holidays, which business-day deadlines skip.")]
    public async Task<Results<Ok<CalendarView>, ValidationProblem, ProblemHttpResult>> PutAsync(
        HttpRequest request, string country, CancellationToken cancellationToken)
    {
        if ((keys.Refuse(request, Roles.Operations) ?? RouteIds.Refuse((nameof(country), country))) is { } refused)
        {
            return refused;
        }

        var body = await RequestBody.ReadJsonAsync(request, cancellationToken);
        if (body.Problem is not null)
        {
            return body.ToProblem("The calendar cannot be read; nothing was stored.");
        }

        var (calendar, problems) = Read(country, body.Value);
        if (calendar is null)
        {
            return TypedResults.ValidationProblem(problems);
        }

        await store.SaveAsync(calendar.Country, calendar.Holidays.ToHashSet(), cancellationToken);
        return TypedResults.Ok(calendar);
    }

    [EndpointName("GetCalendar"), Tags("Calendars")]
    [EndpointSummary("A country's public holidays.")]
    public async Task<Results<Ok<CalendarView>, ValidationProblem, ProblemHttpResult>> GetAsync(
        HttpRequest request, string country, CancellationToken cancellationToken)
    {
        if ((keys.Refuse(request, Roles.Operations) ?? RouteIds.Refuse((nameof(country), country))) is { } refused)
        {
            return refused;
        }

        var code = JsonFields.Country(country);
        if (!JsonFields.IsCountryCode(code))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["country"] = [CountryCodeExpected] });
        }

        return await store.GetAsync(code, cancellationToken) is { } holidays
            ? TypedResults.Ok(new CalendarView(code, [.. holidays.Order()]))
            : TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound, title: "No calendar",
                detail: $"No holidays are stored for {code}, so every weekday there is a business day.");
    }

    /// <summary>The calendar to store, or every bad date and a bad country code.</summary>
    public static (CalendarView? Calendar, Dictionary<string, string[]> Problems) Read(string country, JsonElement body)
    {
        var fields = JsonFields.Of(body);
        var code = JsonFields.Country(country);
        if (!JsonFields.IsCountryCode(code))
        {
            fields.Problem("country", CountryCodeExpected);
        }

        var dates = new SortedSet<DateOnly>();
        var texts = fields.Strings("holidays") ?? [];
        foreach (var (text, index) in texts.Select((text, index) => (text, index)))
        {
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                dates.Add(date);
            }
            else
            {
                fields.Problem($"holidays[{index}]", $"'{text}' is not a date as yyyy-MM-dd, such as 2026-12-25.");
            }
        }

        return fields.HasProblems ? (null, fields.Problems()) : (new CalendarView(code, [.. dates]), []);
    }

    private const string CountryCodeExpected = "Expected an ISO 3166-1 alpha-2 code such as US.";

    /// <summary>A country's holidays, in date order.</summary>
    public sealed record CalendarView(string Country, IReadOnlyList<DateOnly> Holidays);
}
