using System.Diagnostics;
using System.Globalization;
using System.Net;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.DevHost.Tests.Infrastructure;

/// <summary>
/// The dev host (<c>dotnet FastTrack.DevHost.dll</c>) in a process of its own, as
/// <c>./run.sh</c> starts it, ready once <c>/api/health</c> answers 200. It runs in an empty folder, so no settings
/// file is read: everything it needs comes in environment variables.
/// </summary>
public sealed class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private AppProcess(Process process, string directory, Uri baseAddress)
    {
        _process = process;
        _directory = directory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>
    /// Starts the dev host on <paramref name="storage"/>, in Development. <paramref name="settings"/> are added to the
    /// environment, named as app settings are (<c>Triggers__RunLocally</c>).
    /// </summary>
    public static async Task<AppProcess> StartAsync(string storage, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = LoopbackPorts.Free();
        var baseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var directory = Directory.CreateTempSubdirectory("fasttrack-app-").FullName;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "FastTrack.DevHost.dll")])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var environment = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = storage,
            ["Auth__IntakeKey"] = FastTrackApp.IntakeKey,
            ["Auth__OperationsKey"] = FastTrackApp.OperationsKey,
            ["Auth__OfferDeskKey"] = FastTrackApp.OfferDeskKey,
            ["DemoData__Enabled"] = "false",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = baseAddress.ToString(),
        };

        foreach (var (key, value) in FastTrackApp.LinkSettings.Concat(settings ?? new Dictionary<string, string>()))
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The app did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new AppProcess(process, directory, baseAddress);
        try
        {
            using var client = app.CreateClient();
            var status = await Eventually.Returns(
                async () =>
                {
                    try
                    {
                        return (await client.GetAsync(new Uri("/api/health", UriKind.Relative))).StatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return (HttpStatusCode?)null;
                    }
                },
                code => code is not null || process.HasExited,
                within: TimeSpan.FromSeconds(60));
            Assert.Equal(HttpStatusCode.OK, status);
            return app;
        }
        catch
        {
            app.Dispose();
            throw;
        }
    }

    /// <summary>A client of the app, sending <paramref name="key"/> in <c>x-functions-key</c> when given.</summary>
    public HttpClient CreateClient(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("x-functions-key", key);
        }

        return client;
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
