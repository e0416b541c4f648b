using System.Collections.Concurrent;
using System.Text;
using FastTrack.Core;
using FastTrack.Core.Durable;
using FastTrack.Core.Mail;
using FastTrack.Core.Privacy;
using FastTrack.Core.Referrals;
using FastTrack.DevHost.DevTools;
using FastTrack.Domain.Referrals;
using FastTrack.Functions.Functions;
using FastTrack.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using Xunit;

namespace FastTrack.Functions.Tests.FunctionsApp;

/// <summary>
/// The Functions app's function classes with the services its Program registers, on an Azurite of their own, the
/// Durable Task engine in memory (<see cref="DurableTaskTestHost"/>) running the app's orchestrator and activity
/// functions themselves, and the dev host's local Graph endpoint taking the emails. What the Functions host would do
/// (bind a request, a timer, a blob; hand over a <see cref="FunctionContext"/> or a Durable client), a test does.
/// </summary>
public sealed class FunctionsHarness : IAsyncLifetime
{
    public const string OperationsKey = "test-operations-key";
    public const string IntakeKey = "test-intake-key";
    public const string OfferDeskKey = "test-offerdesk-key";

    private AzuriteInstance _azurite = null!;
    private DevGraphEndpoint _graph = null!;
    private DurableTaskTestHost _engine = null!;

    public ServiceProvider Services { get; private set; } = null!;

    public DurableTaskClient Workflows => _engine.Client;

    public DevMailbox Mailbox => Services.GetRequiredService<DevMailbox>();

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteInstance.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = _azurite.ConnectionString,
            ["Auth:IntakeKey"] = IntakeKey,
            ["Auth:OperationsKey"] = OperationsKey,
            ["Auth:OfferDeskKey"] = OfferDeskKey,
            ["Links:SigningKeys:test"] = Convert.ToBase64String("test-only link signing key, 32+ bytes long"u8),
            ["Links:ActiveKeyId"] = "test",
        }).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(TimeProvider.System);
        services.AddFastTrackCore(configuration);
        services.AddSingleton<DevMailbox>();
        services.AddSingleton<DevGraphEndpoint>();
        services.Replace(ServiceDescriptor.Singleton(provider => new GraphServiceClient(
            new AnonymousAuthenticationProvider(), provider.GetRequiredService<DevGraphEndpoint>().BaseUrl.ToString())));
        foreach (var functions in typeof(ReferralFunctions).Assembly.GetTypes().Where(type => type.Name.EndsWith("Functions", StringComparison.Ordinal)))
        {
            services.AddTransient(functions);
        }

        Services = services.BuildServiceProvider();
        _graph = Services.GetRequiredService<DevGraphEndpoint>();
        await _graph.StartAsync(CancellationToken.None);
        _engine = await DurableTaskTestHost.StartAsync(
            registry => registry
                .AddOrchestratorFunc<ReferralWorkflowInput, ReferralStatus?>(
                    nameof(ReferralWorkflow), (context, _) => ReferralFunctions.RunWorkflowAsync(context))
                .AddActivityFunc<ReferralStep, ReferralProgress>(
                    nameof(AdvanceReferral), (context, step) => ReferralFunctions.AdvanceAsync(step, context.InstanceId, Invocation()))
                .AddOrchestratorFunc<string, string>(nameof(PrivacyRequestWorkflow), (context, _) => PrivacyFunctions.RunWorkflowAsync(context))
                .AddActivityFunc<string, string>(
                    nameof(ProcessPrivacyRequest), (context, id) => PrivacyFunctions.ProcessAsync(id, context.InstanceId, Invocation())),
            new DurableTaskTestHostOptions { Port = LoopbackPorts.Free() });
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _graph.StopAsync(CancellationToken.None);
        await Services.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    public T Functions<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A request as the ASP.NET Core integration hands it to an HTTP function.</summary>
    public HttpRequest Request(string method, string path, string? key = null, string? json = null, string? form = null)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("fasttrack.example");
        context.Request.Path = path;
        if (key is not null)
        {
            context.Request.Headers["x-functions-key"] = key;
        }

        if ((json ?? form) is { } body)
        {
            context.Request.ContentType = json is not null ? "application/json" : "application/x-www-form-urlencoded";
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
            context.Request.ContentLength = context.Request.Body.Length;
        }

        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    /// <summary>Calls an HTTP function and writes its result as the host would: the status and the body.</summary>
    public static async Task<(int Status, string Body)> AnswerAsync(HttpRequest request, Func<HttpRequest, Task<IResult>> function)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(function);
        var result = await function(request);
        await result.ExecuteAsync(request.HttpContext);
        request.HttpContext.Response.Body.Position = 0;
        return (request.HttpContext.Response.StatusCode, await new StreamReader(request.HttpContext.Response.Body).ReadToEndAsync());
    }

    /// <summary>Waits for an email to <paramref name="to"/> whose subject contains <paramref name="subject"/>.</summary>
    public async Task<DevMail> MailAsync(string to, string subject)
    {
        for (var tries = 0; tries < 300; tries++)
        {
            if ((await Mailbox.ListAsync(CancellationToken.None)).FirstOrDefault(
                mail => mail.To.Contains(to) && mail.Subject.Contains(subject, StringComparison.Ordinal)) is { } found)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No email to {to} about \"{subject}\" within 30 s.");
    }

    /// <summary>What the Functions host gives an activity function: the invocation's services.</summary>
    private ActivityInvocation Invocation() => new(Services);

    private sealed class ActivityInvocation(IServiceProvider services) : FunctionContext
    {
        public override IServiceProvider InstanceServices { get; set; } = services;

        public override string InvocationId { get; } = Guid.NewGuid().ToString();

        public override string FunctionId => throw new NotSupportedException();

        public override TraceContext TraceContext => throw new NotSupportedException();

        public override BindingContext BindingContext => throw new NotSupportedException();

        public override Microsoft.Azure.Functions.Worker.RetryContext RetryContext => throw new NotSupportedException();

        public override FunctionDefinition FunctionDefinition => throw new NotSupportedException();

        public override IDictionary<object, object> Items { get; set; } = new ConcurrentDictionary<object, object>();

        public override IInvocationFeatures Features => throw new NotSupportedException();
    }
}
