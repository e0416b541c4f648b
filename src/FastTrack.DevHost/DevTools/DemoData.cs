using System.Text.Json;
using Azure;
using FastTrack.Core.Calendars;
using FastTrack.Core.Customers;
using FastTrack.Core.Partners;

namespace FastTrack.DevHost.DevTools;

/// <summary>
/// In Development, fills an empty store with the demo partners, customers and holiday calendar of
/// <c>DevTools/demo-data.json</c>, so that a fresh <c>./run.sh</c> can take an RFA at once. It reads the file with the
/// same rules and writes through the same stores as the operations API. It does nothing once any partner exists, and
/// never replaces a customer or calendar already there, so a restart never undoes an edit.
/// </summary>
internal sealed partial class DemoData(
    PartnerStore partners, CustomerStore customers, HolidayStore holidays, ILogger<DemoData> logger) : IHostedService
{
    private const string ResourceName = "FastTrack.DevHost.DevTools.demo-data.json";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!await partners.IsEmptyAsync(cancellationToken))
            {
                LogPartnersPresent();
                return;
            }

            await SeedAsync(Load(), cancellationToken);
        }
        catch (RequestFailedException exception)
        {
            // A development convenience must not stop the app: /api/health will say what is wrong with storage.
            LogStorageFailed(exception);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SeedAsync(Seed seed, CancellationToken cancellationToken)
    {
        var partnersAdded = new List<string>();
        foreach (var partner in seed.Partners)
        {
            await partners.SaveProfileAsync(partner, cancellationToken);
            partnersAdded.Add(partner.Id);
        }

        var customersAdded = new List<string>();
        foreach (var customer in seed.Customers)
        {
            if (await customers.GetAsync(customer.TenantId, cancellationToken) is null)
            {
                await customers.SaveAsync(customer, cancellationToken);
                customersAdded.Add($"{customer.Name} ({customer.TenantId})");
            }
        }

        var calendarsAdded = new List<string>();
        foreach (var calendar in seed.Calendars)
        {
            if (await holidays.GetAsync(calendar.Country, cancellationToken) is null)
            {
                await holidays.SaveAsync(calendar.Country, calendar.Holidays.ToHashSet(), cancellationToken);
                calendarsAdded.Add(calendar.Country);
            }
        }

        LogSeeded(partnersAdded, customersAdded, calendarsAdded);
    }

    /// <summary>The demo data, checked as the API checks an import; a bad entry is a bug in the file, so it throws.</summary>
    private static Seed Load()
    {
        using var stream = typeof(DemoData).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        var problems = new List<string>();
        T? Checked<T>(string id, (T? Value, Dictionary<string, string[]> Problems) read)
            where T : class
        {
            problems.AddRange(read.Problems.Select(p => $"{id}: {p.Key}: {string.Join(" ", p.Value)}"));
            return read.Value;
        }

        var seed = new Seed(
            [.. root.GetProperty("partners").EnumerateObject().Select(p => Checked(p.Name, PartnerInput.Read(p.Name, p.Value))).OfType<Domain.Partners.PartnerProfile>()],
            [.. root.GetProperty("customers").EnumerateObject().Select(c => Checked(c.Name, CustomerInput.Read(c.Name, c.Value))).OfType<CustomerProfile>()],
            [.. root.GetProperty("calendars").EnumerateObject().Select(c => Checked(c.Name, CalendarsApi.Read(c.Name, c.Value))).OfType<CalendarsApi.CalendarView>()]);
        return problems.Count == 0
            ? seed
            : throw new InvalidOperationException($"{ResourceName} is invalid: {string.Join("; ", problems)}");
    }

    private sealed record Seed(
        IReadOnlyList<Domain.Partners.PartnerProfile> Partners,
        IReadOnlyList<CustomerProfile> Customers,
        IReadOnlyList<CalendarsApi.CalendarView> Calendars);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data not seeded: partners are already stored")]
    private partial void LogPartnersPresent();

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Demo data seeded: partners {PartnerIds}; customers {Customers}; holiday calendars {Countries}")]
    private partial void LogSeeded(List<string> partnerIds, List<string> customers, List<string> countries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo data not seeded: storage failed")]
    private partial void LogStorageFailed(Exception exception);
}

/// <summary>Section <c>DemoData</c>.</summary>
public sealed class DemoDataOptions
{
    public const string Section = "DemoData";

    /// <summary>Seeds an empty store at start-up, in Development; tests that share one storage account turn it off.</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>Registers the demo data seed.</summary>
public static class DemoDataServiceCollectionExtensions
{
    /// <summary>Unless <c>DemoData__Enabled</c> is false, seeds an empty store at start-up (the dev host calls it in Development).</summary>
    public static IServiceCollection AddDemoData(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetSection(DemoDataOptions.Section).Get<DemoDataOptions>()?.Enabled ?? true)
        {
            services.AddHostedService<DemoData>();
        }

        return services;
    }
}
