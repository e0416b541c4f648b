using System.Diagnostics;
using System.Globalization;
using System.Net;

using FastTrack.Testing;

namespace FastTrack.Bench.Workflow;

/// <summary>
/// The built app (<c>src/FastTrack.DevHost/bin/{Configuration}/net10.0/FastTrack.DevHost.dll</c>) in its own
/// process on a loopback port, as <c>./run.sh</c> starts it: Development, standalone trigger loop, its own settings.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    public const string IntakeKey = "bench-intake-key";
    public const string OperationsKey = "bench-operations-key";

    private readonly Process _process;

    private AppProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public int ProcessId => _process.Id;

    public static async Task<AppProcess> StartAsync(string storageConnectionString, IReadOnlyDictionary<string, string> extra)
    {
        var dll = FindAppDll();
        var url = FreeLoopbackUrl();
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["AzureWebJobsStorage"] = storageConnectionString,
            ["DemoData__Enabled"] = "false",
            ["Auth__IntakeKey"] = IntakeKey,
            ["Auth__OperationsKey"] = OperationsKey,
            ["Auth__OfferDeskKey"] = "bench-offerdesk-key",
            ["Links__PublicBaseUrl"] = url.ToString().TrimEnd('/'),
            ["Links__ActiveKeyId"] = "bench",
            ["Links__SigningKeys__bench"] = Convert.ToBase64String("bench-only link signing key, 32+ bytes long"u8),
            // Per-referral Information logs to a console nobody reads would only add CPU noise.
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        // Not the repository root as working directory: the app would read local.settings(.sample).json from there.
        return await StartAsync([dll, "--urls", url.ToString()], Path.GetDirectoryName(dll)!, settings, url, "/api/health");
    }

    /// <summary>
    /// The bare Durable orchestration host (<see cref="BareHost"/>): this program again, with its flag, as its own
    /// process like the app, on the given storage and task hub.
    /// </summary>
    public static Task<AppProcess> StartBareHostAsync(string storageConnectionString, string taskHub)
    {
        var dll = typeof(BareHost).Assembly.Location;
        var url = FreeLoopbackUrl();
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = storageConnectionString,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        return StartAsync([dll, BareHost.Flag, url.ToString(), taskHub], Path.GetDirectoryName(dll)!, settings, url, "/health");
    }

    private static Uri FreeLoopbackUrl() => new($"http://127.0.0.1:{LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture)}");

    private static async Task<AppProcess> StartAsync(
        string[] arguments, string workingDirectory, Dictionary<string, string> settings, Uri url, string healthPath)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The app did not start.");
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => Keep(log, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new AppProcess(process, url);

        using var http = new HttpClient { BaseAddress = url };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {process.ExitCode}:\n{string.Join('\n', log)}");
            }

            try
            {
                if ((await http.GetAsync(new Uri(healthPath, UriKind.Relative))).StatusCode == HttpStatusCode.OK)
                {
                    return app;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                await app.DisposeAsync();
                throw new TimeoutException($"The app did not become healthy:\n{string.Join('\n', log)}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> log, string? line)
    {
        if (line is null)
        {
            return;
        }

        log.Enqueue(line);
        while (log.Count > 200 && log.TryDequeue(out _))
        {
        }
    }

    private static string FindAppDll()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "FastTrack.DevHost", "bin", configuration, "net10.0", "FastTrack.DevHost.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"FastTrack.DevHost.dll ({configuration}) not found; build the app first.");
    }
}
