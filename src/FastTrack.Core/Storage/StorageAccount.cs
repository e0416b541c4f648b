using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace FastTrack.Core.Storage;

/// <summary>
/// The app's storage account, configured the way the Functions host configures <c>AzureWebJobsStorage</c>:
/// a connection string (locally, <c>UseDevelopmentStorage=true</c>), or in Azure the service URIs
/// <c>AzureWebJobsStorage__blobServiceUri</c> / <c>__queueServiceUri</c> / <c>__tableServiceUri</c> with a managed
/// identity (<c>AzureWebJobsStorage__clientId</c> names a user-assigned one). Its three service clients are built
/// once, with every client option the app sets, and shared by the whole app.
/// </summary>
public sealed class StorageAccount
{
    public const string Setting = "AzureWebJobsStorage";

    private StorageAccount(TableServiceClient tables, BlobServiceClient blobs, QueueServiceClient queues, string description)
    {
        Tables = tables;
        Blobs = blobs;
        Queues = queues;
        Description = description;
    }

    public TableServiceClient Tables { get; }

    public BlobServiceClient Blobs { get; }

    public QueueServiceClient Queues { get; }

    /// <summary>Where the account is, for logs; never includes a key.</summary>
    public string Description { get; }

    public static StorageAccount FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[Setting] is { Length: > 0 } connectionString)
        {
            return FromConnectionString(connectionString);
        }

        var section = configuration.GetSection(Setting);
        Uri Required(string name) => section[name] is { Length: > 0 } value
            ? new Uri(value)
            : throw new InvalidOperationException(
                $"Storage is not configured: set {Setting} to a connection string, or {Setting}__{name} (with " +
                $"{Setting}__blobServiceUri, __queueServiceUri and __tableServiceUri) for a managed identity.");
        var (blob, queue, table) = (Required("blobServiceUri"), Required("queueServiceUri"), Required("tableServiceUri"));
        TokenCredential credential = section["clientId"] is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
        return new StorageAccount(
            new TableServiceClient(table, credential, TableOptions()),
            new BlobServiceClient(blob, credential, BlobOptions()),
            new QueueServiceClient(queue, credential, QueueOptions()),
            $"{table.Host} (managed identity)");
    }

    /// <summary>An account reached with a connection string; locally <c>UseDevelopmentStorage=true</c>, Azurite's account.</summary>
    public static StorageAccount FromConnectionString(string connectionString)
    {
        var tables = new TableServiceClient(connectionString, TableOptions());
        return new StorageAccount(
            tables,
            new BlobServiceClient(connectionString, BlobOptions()),
            new QueueServiceClient(connectionString, QueueOptions()),
            $"{tables.AccountName} at {tables.Uri.GetLeftPart(UriPartial.Authority)} (connection string)");
    }

    // Every option the app sets on its storage clients is set here, and nowhere else.
    // - Retries are the SDK's own (exponential back-off, 3 retries): none is changed.
    // - Service version: the SDK's default, newer for blobs and queues than Azurite accepts. ./run.sh and the tests
    //   start Azurite with --skipApiVersionCheck; an Azurite started without it needs BlobClientOptions.ServiceVersion
    //   and QueueClientOptions.ServiceVersion pinned here to one it knows. Azurite accepts Azure.Data.Tables' default.
    private static TableClientOptions TableOptions() => new();

    private static BlobClientOptions BlobOptions() => new();

    // Base64, because that is what the Functions queue trigger reads (the SDK's own default is plain text).
    private static QueueClientOptions QueueOptions() => new() { MessageEncoding = QueueMessageEncoding.Base64 };
}
