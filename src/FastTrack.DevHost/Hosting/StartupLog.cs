using FastTrack.Core.Storage;

namespace FastTrack.DevHost.Hosting;

/// <summary>Says at start-up where settings came from and which storage account is used.</summary>
internal sealed partial class StartupLog(ILogger<StartupLog> logger, StorageAccount storage, string? settingsFile)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogStarted(settingsFile ?? "environment variables only", storage.Description);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Settings from {SettingsSource}; storage account {StorageAccount}")]
    private partial void LogStarted(string settingsSource, string storageAccount);
}
