using System.Diagnostics;
using System.Globalization;
using FastTrack.Storage.Core;

namespace FastTrack.Testing;

/// <summary>
/// A private Azurite on free loopback ports, in memory, for one test class or collection.
/// It is the real emulator from <c>tools/azurite</c> (installed by <c>./test.sh</c>), never a stand-in.
/// </summary>
public sealed class AzuriteInstance : IAsyncDisposable
{
    private const int MaxStartAttempts = 5;

    private readonly Process _process;

    private AzuriteInstance(Process process, StorageConnectionString connectionString)
    {
        _process = process;
        ConnectionString = connectionString;
    }

    public StorageConnectionString ConnectionString { get; }

    public static Task<AzuriteInstance> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(new Uri("http://127.0.0.1"), [], cancellationToken);

    /// <summary>
    /// An Azurite that serves HTTPS with the given PEM certificate and key and accepts bearer tokens as well as
    /// SharedKey (<c>--oauth basic</c>: it checks a token's issuer, audience and lifetime, not its signature).
    /// </summary>
    public static Task<AzuriteInstance> StartWithOAuthAsync(
        string certificatePemPath, string keyPemPath, CancellationToken cancellationToken = default) =>
        StartAsync(
            new Uri("https://127.0.0.1"),
            ["--oauth", "basic", "--cert", certificatePemPath, "--key", keyPemPath],
            cancellationToken);

    private static async Task<AzuriteInstance> StartAsync(
        Uri host, string[] extraArguments, CancellationToken cancellationToken)
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

            var instance = new AzuriteInstance(process, StorageConnectionString.Development(host, blob, queue, table));
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

