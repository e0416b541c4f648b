using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FastTrack.DevHost.Tests.Infrastructure;

/// <summary>
/// The dev host, in Development, on the given storage, with fast local trigger polling, and a Durable task hub of its
/// own unless <c>Durable:TaskHubName</c> is given: apps in a collection share one Azurite, and would otherwise run
/// each other's workflows. A test that restarts an app passes the same name again.
/// </summary>
public sealed class FastTrackApp(
    string storage,
    IReadOnlyDictionary<string, string?>? settings = null,
    Action<IServiceCollection>? services = null) : WebApplicationFactory<FastTrack.DevHost.Program>
{
    public const string IntakeKey = "test-intake-key";
    public const string OperationsKey = "test-operations-key";
    public const string OfferDeskKey = "test-offerdesk-key";

    /// <summary>The app refuses to start without a link signing key (an app in a process of its own reads no settings file).</summary>
    public static readonly IReadOnlyDictionary<string, string> LinkSettings = new Dictionary<string, string>
    {
        ["Links:SigningKeys:test"] = Convert.ToBase64String("test-only link signing key, 32+ bytes long"u8),
        ["Links:ActiveKeyId"] = "test",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("AzureWebJobsStorage", storage);
        builder.UseSetting("Auth:IntakeKey", IntakeKey);
        builder.UseSetting("Auth:OperationsKey", OperationsKey);
        builder.UseSetting("Auth:OfferDeskKey", OfferDeskKey);
        builder.UseSetting("Triggers:PollingInterval", "00:00:00.100");
        foreach (var (key, value) in LinkSettings)
        {
            builder.UseSetting(key, value);
        }

        // Apps in a collection share one Azurite: demo partners would appear in every test's matching.
        builder.UseSetting("DemoData:Enabled", "false");
        builder.UseSetting("Durable:TaskHubName", NewTaskHubName());
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }

    /// <summary>A task hub name of its own: letters and digits, starting with a letter.</summary>
    public static string NewTaskHubName() => "t" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>A client that sends the given key in <c>x-functions-key</c>.</summary>
    public HttpClient CreateClient(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("x-functions-key", key);
        return client;
    }
}
