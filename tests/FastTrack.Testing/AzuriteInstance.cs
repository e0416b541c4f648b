using System.Diagnostics;
using System.Globalization;

namespace FastTrack.Testing;

/// <summary>
/// A private Azurite on free loopback ports, in memory, for one test class or collection.
/// It is the real emulator from <c>tools/azurite</c> (installed by <c>./test.sh</c>), never a stand-in.
/// </summary>
public sealed class AzuriteInstance : IAsyncDisposable
{
    /// <summary>Azurite's one account. Its name and key are published with Azurite, so they are no secret.</summary>
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const int MaxStartAttempts = 5;

    private readonly Process _process;
    private readonly string _scheme;

    private AzuriteInstance(Process process, string scheme, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        _scheme = scheme;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>The connection string of Azurite's account, as <c>AzureWebJobsStorage</c> takes it.</summary>
    public string ConnectionString => ConnectionStringFor(_scheme, BlobPort, QueuePort, TablePort);

    public Uri BlobEndpoint => Endpoint(_scheme, BlobPort);

    /// <summary>
    /// A connection string to Azurite's account on loopback over HTTP at the given ports: through a proxy in front of
    /// an Azurite, or where nothing listens.
    /// </summary>
    public static string ConnectionStringFor(int blobPort, int queuePort, int tablePort) =>
        ConnectionStringFor(Uri.UriSchemeHttp, blobPort, queuePort, tablePort);

    public static Task<AzuriteInstance> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(Uri.UriSchemeHttp, [], cancellationToken);

    /// <summary>
    /// An Azurite that serves HTTPS with the given PEM certificate and key and accepts bearer tokens as well as
    /// SharedKey (<c>--oauth basic</c>: it checks a token's issuer, audience and lifetime, not its signature).
    /// </summary>
    public static Task<AzuriteInstance> StartWithOAuthAsync(
        string certificatePemPath, string keyPemPath, CancellationToken cancellationToken = default) =>
        StartAsync(
            Uri.UriSchemeHttps,
            ["--oauth", "basic", "--cert", certificatePemPath, "--key", keyPemPath],
            cancellationToken);

    private static async Task<AzuriteInstance> StartAsync(
        string scheme, string[] extraArguments, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (blob, queue, table) = (LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free());
            var start = new ProcessStartInfo(FindAzurite())
            {
                ArgumentList =
                {
                    "--inMemoryPersistence", "--loose", "--skipApiVersionCheck", "--silent", "--disableTelemetry",
                    "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(CultureInfo.InvariantCulture),
                    "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(CultureInfo.InvariantCulture),
                    "--tableHost", "127.0.0.1", "--tablePort", table.ToString(CultureInfo.InvariantCulture),
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in extraArguments)
            {
                start.ArgumentList.Add(argument);
            }

            // Ready when Azurite itself says all three services listen: a connect to the port could reach another
            // process that took the port in the moment between choosing it and Azurite binding it.
            var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var services = 0;
            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, line) =>
            {
                if (line.Data?.Contains("successfully listening", StringComparison.OrdinalIgnoreCase) == true &&
                    Interlocked.Increment(ref services) == 3)
                {
                    listening.TrySetResult();
                }
            };
            process.ErrorDataReceived += (_, _) => { };
            process.Exited += (_, _) => listening.TrySetException(
                new AzuriteExitedException($"Azurite exited with code {process.ExitCode} while starting."));
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var instance = new AzuriteInstance(process, scheme, blob, queue, table);
            try
            {
                await listening.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                return instance;
            }
            catch (AzuriteExitedException) when (attempt < MaxStartAttempts)
            {
                // Most likely a port was taken meanwhile (many tests start Azurites at once): try other ports.
                await instance.DisposeAsync();
            }
            catch
            {
                await instance.DisposeAsync();
                throw;
            }
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

    private static string ConnectionStringFor(string scheme, int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol={scheme};AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint={Endpoint(scheme, blobPort)};QueueEndpoint={Endpoint(scheme, queuePort)};TableEndpoint={Endpoint(scheme, tablePort)};";

    private static Uri Endpoint(string scheme, int port) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{scheme}://127.0.0.1:{port}/{AccountName}"));

    /// <summary><c>AZURITE_BIN</c> if set, else the copy pinned in the repository's <c>tools/azurite</c>.</summary>
    private static string FindAzurite()
    {
        if (Environment.GetEnvironmentVariable("AZURITE_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tools", "azurite", "node_modules", ".bin", "azurite");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(
            "Azurite is not installed. Run ./test.sh (it runs 'npm ci' in tools/azurite) or set AZURITE_BIN.");
    }
}

/// <summary>Azurite stopped before it was ready, typically because a port it was given had been taken.</summary>
public sealed class AzuriteExitedException(string message) : Exception(message);

