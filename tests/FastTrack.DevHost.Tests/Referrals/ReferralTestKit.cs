using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using FastTrack.Core.Durable;
using FastTrack.Core.Referrals;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FastTrack.DevHost.Tests.Referrals;

/// <summary>
/// A whole app on a private Azurite, driven only through the HTTP contract of API.md: partners in, RFAs in, emails
/// out of the development mailbox, links clicked, the development clock moved. Its workflows run on the dev host's
/// Durable Task engine on the same Azurite, or, from <see cref="StartOnTestHostAsync"/>, on <see cref="DurableTaskTestHost"/>.
/// </summary>
public sealed class ReferralTestKit : IAsyncDisposable
{
    private readonly AzuriteInstance _azurite;
    private readonly Dictionary<string, string?> _settings;
    private readonly DurableTaskTestHost? _engine;
    private readonly Action<IServiceCollection>? _engineServices;

    private ReferralTestKit(
        AzuriteInstance azurite,
        Dictionary<string, string?> settings,
        Action<IServiceCollection>? services,
        DurableTaskTestHost? engine = null,
        Action<IServiceCollection>? engineServices = null)
    {
        _azurite = azurite;
        _settings = settings;
        _engine = engine;
        _engineServices = engineServices;
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
        IReadOnlyDictionary<string, string?>? settings, Action<IServiceCollection>? services) =>
        new(await AzuriteInstance.StartAsync(), Settings(settings), services);

    /// <summary>
    /// A kit whose referral workflows run on <see cref="DurableTaskTestHost"/> (the Durable Task engine in memory)
    /// with the app's services in their activities, and as they run in Azure: deadlines on durable timers alone, not
    /// also on the development clock's moves. Durable timers run on real time; the app runs on <paramref name="clock"/>,
    /// which the test moves: a clock set in the past makes a deadline's timer fire before the app's deadline.
    /// </summary>
    public static async Task<ReferralTestKit> StartOnTestHostAsync(TimeProvider clock)
    {
        var azurite = await AzuriteInstance.StartAsync();
        ReferralTestKit? kit = null;
        var engine = await DurableTaskTestHost.StartAsync(
            registry => registry.AddWorkflowTasks(),
            new DurableTaskTestHostOptions
            {
                Port = LoopbackPorts.Free(),
                ConfigureServices = services => ForwardActivityDependencies(services, () => kit!.App.Services),
            });
        kit = new ReferralTestKit(azurite, Settings(null), services: null, engine, services =>
        {
            services.AddSingleton(engine.Client);
            services.AddSingleton(clock);
            services.Configure<ReferralWorkflowOptions>(options => options.FollowAppClock = false);
        });
        return kit;
    }

    /// <summary>The engine's activities take what they need from the app (resolved per call: the app may restart).</summary>
    private static void ForwardActivityDependencies(IServiceCollection services, Func<IServiceProvider> app)
    {
        var dependencies = WorkflowTasks.Activities
            .SelectMany(activity => activity.GetConstructors().Single().GetParameters())
            .Select(parameter => parameter.ParameterType)
            .Distinct();
        foreach (var type in dependencies)
        {
            services.AddTransient(type, _ => app().GetRequiredService(type));
        }
    }

    private static Dictionary<string, string?> Settings(IReadOnlyDictionary<string, string?>? settings)
    {
        var all = new Dictionary<string, string?> { ["DemoData:Enabled"] = "false", ["Durable:TaskHubName"] = FastTrackApp.NewTaskHubName() };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return all;
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
        App = new FastTrackApp(_azurite.ConnectionString, _settings, all =>
        {
            _engineServices?.Invoke(all);
            services?.Invoke(all);
        });
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

    /// <summary>The client of the engine the kit's workflows run on.</summary>
    public DurableTaskClient Workflows => App.Services.GetRequiredService<DurableTaskClient>();

    /// <summary>The referral's workflow instance, with its input, output and custom status.</summary>
    public async Task<OrchestrationMetadata> WorkflowAsync(string referralId) =>
        await Workflows.GetInstanceAsync(referralId, getInputsAndOutputs: true)
        ?? throw new InvalidOperationException($"Referral {referralId} has no workflow.");

    /// <summary>When the referral's workflow last did something (its last step, or its last wait begun).</summary>
    public async Task<DateTimeOffset> WorkflowUpdatedAtAsync(string referralId) => (await WorkflowAsync(referralId)).LastUpdatedAt;

    /// <summary>When the heartbeat timer last ran, as <c>/api/health</c> says.</summary>
    public async Task<string> HeartbeatAsync() =>
        (await Anonymous.GetFromJsonAsync<JsonElement>(new Uri("/api/health", UriKind.Relative))).GetProperty("lastHeartbeatAt").ToString();

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }
}
