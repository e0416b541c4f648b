namespace FastTrack.Storage.Core;

/// <summary>An account's name, key and service endpoints, parsed from an Azure Storage connection string.</summary>
public sealed record StorageConnectionString(
    string AccountName,
    string AccountKey,
    Uri BlobEndpoint,
    Uri QueueEndpoint,
    Uri TableEndpoint)
{
    /// <summary>Azurite's well-known development account (documented by Azurite and the Storage emulator).</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public StorageSharedKeyCredential Credential => new(AccountName, AccountKey);

    public static StorageConnectionString Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var settings = connectionString
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);

        if (settings.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var useDev) && useDev)
        {
            return Development(new Uri("http://127.0.0.1"), blobPort: 10000, queuePort: 10001, tablePort: 10002);
        }

        var accountName = Required(settings, "AccountName");
        var accountKey = Required(settings, "AccountKey");
        var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol", "https");
        var suffix = settings.GetValueOrDefault("EndpointSuffix", "core.windows.net");
        Uri Endpoint(string key, string service) => settings.TryGetValue(key, out var explicitEndpoint)
            ? new Uri(explicitEndpoint)
            : new Uri($"{protocol}://{accountName}.{service}.{suffix}");

        return new StorageConnectionString(
            accountName,
            accountKey,
            Endpoint("BlobEndpoint", "blob"),
            Endpoint("QueueEndpoint", "queue"),
            Endpoint("TableEndpoint", "table"));
    }

    /// <summary>The development account on an Azurite listening on the given host and ports.</summary>
    public static StorageConnectionString Development(Uri host, int blobPort, int queuePort, int tablePort)
    {
        Uri At(int port) => new UriBuilder(host) { Port = port, Path = DevelopmentAccountName }.Uri;
        return new StorageConnectionString(
            DevelopmentAccountName, DevelopmentAccountKey, At(blobPort), At(queuePort), At(tablePort));
    }

    public override string ToString() =>
        $"DefaultEndpointsProtocol={BlobEndpoint.Scheme};AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";

    private static string Required(Dictionary<string, string> settings, string key) =>
        settings.TryGetValue(key, out var value) && value.Length > 0
            ? value
            : throw new FormatException($"The storage connection string has no {key}.");
}
