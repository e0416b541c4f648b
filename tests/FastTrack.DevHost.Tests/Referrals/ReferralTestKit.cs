using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.DurableTask.Client;
using Xunit;

namespace FastTrack.DevHost.Tests.Referrals;

/// <summary>
/// A whole app on a private Azurite, driven only through the HTTP contract of API.md: partners in, RFAs in, emails
/// out of the development mailbox, links clicked, the development clock moved.
/// </summary>
public sealed class ReferralTestKit : IAsyncDisposable
{
    private readonly AzuriteInstance _azurite;
    private readonly Dictionary<string, string?> _settings;

    private ReferralTestKit(AzuriteInstance azurite, Dictionary<string, string?> settings, Action<IServiceCollection>? services)
    {
        _azurite = azurite;
        _settings = settings;
        Open(services);
    }

    public FastTrackApp App { get; private set; } = null!;

    public HttpClient Operations { get; private set; } = null!;

    public HttpClient Intake { get; private set; } = null!;

    public HttpClient Anonymous { get; private set; } = null!;

    /// <summary>The storage every app of this kit runs on (it outlives <see cref="RestartAsync"/>).</summary>
    public string Storage => _azurite.ConnectionString;

    public static Task<ReferralTestKit> StartAsync(IReadOnlyDictionary<string, string?>? settings = null) =>
        StartAsync(settings, services: null);

    /// <summary>An app whose services a test changes, for example to inject a fault.</summary>
    public static async Task<ReferralTestKit> StartAsync(
        IReadOnlyDictionary<string, string?>? settings, Action<IServiceCollection>? services)
    {
        var azurite = await AzuriteInstance.StartAsync();
        var all = new Dictionary<string, string?> { ["DemoData:Enabled"] = "false", ["Durable:TaskHubName"] = FastTrackApp.NewTaskHubName() };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new ReferralTestKit(azurite, all, services);
    }

    /// <summary>
    /// Stops the app (its hosted services are cancelled where they stand) and starts a new one on the same storage,
    /// with the same settings and <paramref name="services"/> changed instead: what a process restart leaves behind.
    /// The new app's clock starts again from real time. <paramref name="settings"/> change the kit's settings from now on.
    /// </summary>
    public async Task RestartAsync(Action<IServiceCollection>? services = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        await CloseAsync();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        Open(services);
    }

    private void Open(Action<IServiceCollection>? services)
    {
        App = new FastTrackApp(_azurite.ConnectionString, _settings, services);
        Operations = App.CreateClient(FastTrackApp.OperationsKey);
        Intake = App.CreateClient(FastTrackApp.IntakeKey);
        Anonymous = App.CreateClient();
    }

    private async Task CloseAsync()
    {
        Operations.Dispose();
        Intake.Dispose();
        Anonymous.Dispose();
        await App.DisposeAsync();
    }

    /// <summary>A partner who takes any Standard or Benefit referral in the US in English; override what a test needs.</summary>
    public async Task PutPartnerAsync(string id, Action<JsonObject>? change = null)
    {
        var partner = SampleRequests.Partner(id);
        change?.Invoke(partner);
        var response = await Operations.PutAsJsonAsync(new Uri($"/api/partners/{id}", UriKind.Relative), partner);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Submits an RFA (202) and returns its referral's id once the referral's workflow has matched it.</summary>
    public async Task<string> SubmitAsync(JsonObject rfa)
    {
        var response = await Intake.PostAsJsonAsync(new Uri("/api/referrals", UriKind.Relative), rfa);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await Eventually.Returns(() => GetReferralAsync(id), referral => referral.GetProperty("status").GetString() != "Matching");
        return id;
    }

    public async Task<JsonElement> GetReferralAsync(string id) =>
        await Operations.GetFromJsonAsync<JsonElement>(new Uri($"/api/referrals/{id}", UriKind.Relative));

    public async Task<JsonElement> GetPartnerAsync(string id) =>
        await Operations.GetFromJsonAsync<JsonElement>(new Uri($"/api/partners/{id}", UriKind.Relative));

    public async Task<IReadOnlyList<JsonElement>> MailboxAsync() =>
        [.. (await Anonymous.GetFromJsonAsync<JsonElement>(new Uri("/api/_dev/mailbox", UriKind.Relative))).EnumerateArray()];

    /// <summary>Waits for the <paramref name="count"/>-th email to an address whose subject contains a text.</summary>
    public async Task<JsonElement> WaitForMailAsync(string to, string subjectContains, int count = 1)
    {
        var mails = await Eventually.Returns(
            async () => (await MailboxAsync())
                .Where(m => m.GetProperty("to").EnumerateArray().Any(a => a.GetString() == to)
                            && m.GetProperty("subject").GetString()!.Contains(subjectContains, StringComparison.OrdinalIgnoreCase))
                .ToList(),
            found => found.Count >= count);
        return mails[count - 1];
    }

    public static string LinkIn(JsonElement mail) =>
        mail.GetProperty("links").EnumerateArray().Select(l => l.GetString()!).First(l => l.Contains("/api/links/", StringComparison.Ordinal));

    /// <summary>Clicks a button on a link's page: a form POST asking for the JSON outcome.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Outcome)> ActAsync(string link, string action, params (string Name, string Value)[] fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(link).PathAndQuery, UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new("action", action), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]),
        };
        request.Headers.Accept.ParseAdd("application/json");
        var response = await Anonymous.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    public async Task<DateTimeOffset> SetClockAsync(DateTimeOffset now)
    {
        var response = await Anonymous.PostAsJsonAsync(new Uri("/api/_dev/clock", UriKind.Relative), new { now });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("now").GetDateTimeOffset();
    }

    /// <summary>Rows in a table, read straight from storage (0 when the table does not exist).</summary>
    public async Task<int> CountRowsAsync(string table)
    {
        try
        {
            return await new TableClient(_azurite.ConnectionString, table).QueryAsync<TableEntity>().CountAsync();
        }
        catch (RequestFailedException missing) when (missing.Status == 404)
        {
            return 0;
        }
    }

    public static JsonElement Part(JsonElement referral, string partId) =>
        referral.GetProperty("parts").EnumerateArray().Single(p => p.GetProperty("id").GetString() == partId);

    /// <summary>Rows of a table matching an OData filter, read straight from storage (none when the table does not exist).</summary>
    public async Task<IReadOnlyList<TableEntity>> RowsAsync(string table, string? filter = null)
    {
        try
        {
            return await new TableClient(_azurite.ConnectionString, table).QueryAsync<TableEntity>(filter).ToListAsync();
        }
        catch (RequestFailedException missing) when (missing.Status == 404)
        {
            return [];
        }
    }

    /// <summary>The referral id recorded for a submission, read from storage (for when the intake request failed).</summary>
    public async Task<string?> ReferralIdOfAsync(string submissionId) =>
        (await RowsAsync("Submissions", TableClient.CreateQueryFilter($"RowKey eq {submissionId}")))
        .SingleOrDefault()?.GetString("ReferralId");

    /// <summary>
    /// Waits until the timer functions due at the current app time have run. Due timers run one after another in
    /// declaration order, and the sweeps are declared before the heartbeat, so a new heartbeat means they have finished.
    /// </summary>
    /// <remarks>
    /// The heartbeat runs every 5 minutes of app time, so the clock must have crossed a 5-minute mark. Pass the
    /// <see cref="HeartbeatAsync"/> read before moving the clock when the timers may already have run.
    /// </remarks>
    public async Task TimersHaveRunAsync(string? before = null)
    {
        before ??= await HeartbeatAsync();
        await Eventually.Returns(HeartbeatAsync, after => after != before);
    }

    /// <summary>When the referral's workflow last did something (its last step, or its last wait begun).</summary>
    public async Task<DateTimeOffset> WorkflowUpdatedAtAsync(string referralId) =>
        (await App.Services.GetRequiredService<DurableTaskClient>().GetInstanceAsync(referralId))?.LastUpdatedAt
        ?? throw new InvalidOperationException($"Referral {referralId} has no workflow.");

    /// <summary>When the heartbeat timer last ran, as <c>/api/health</c> says.</summary>
    public async Task<string> HeartbeatAsync() =>
        (await Anonymous.GetFromJsonAsync<JsonElement>(new Uri("/api/health", UriKind.Relative))).GetProperty("lastHeartbeatAt").ToString();

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        await _azurite.DisposeAsync();
    }
}
