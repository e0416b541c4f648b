using System.Text.Json;

namespace FastTrack.DevHost.Triggers;

/// <summary>The <c>extensions.queues</c> section of host.json, with the Functions host's defaults.</summary>
public sealed record QueueSettings(
    int BatchSize = 16,
    int MaxDequeueCount = 5,
    TimeSpan VisibilityTimeout = default,
    TimeSpan MaxPollingInterval = default)
{
    /// <summary>How long a message being processed stays hidden from other pollers.</summary>
    public static readonly TimeSpan ProcessingLease = TimeSpan.FromMinutes(5);

    public static QueueSettings FromHostJson(string? path = null)
    {
        path ??= Path.Combine(AppContext.BaseDirectory, "host.json");
        var defaults = new QueueSettings(MaxPollingInterval: TimeSpan.FromMinutes(1));
        if (!File.Exists(path))
        {
            return defaults;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (!document.RootElement.TryGetProperty("extensions", out var extensions) ||
            !extensions.TryGetProperty("queues", out var queues))
        {
            return defaults;
        }

        int Int(string name, int fallback) => queues.TryGetProperty(name, out var v) ? v.GetInt32() : fallback;
        TimeSpan Time(string name, TimeSpan fallback) =>
            queues.TryGetProperty(name, out var v) ? TimeSpan.Parse(v.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : fallback;
        return new QueueSettings(
            Int("batchSize", defaults.BatchSize),
            Int("maxDequeueCount", defaults.MaxDequeueCount),
            Time("visibilityTimeout", defaults.VisibilityTimeout),
            Time("maxPollingInterval", defaults.MaxPollingInterval));
    }
}
