using Azure.Core;
using Azure.Identity;
using FastTrack.Storage.Blobs;
using FastTrack.Storage.Core;
using FastTrack.Storage.Queues;
using FastTrack.Storage.Tables;

namespace FastTrack.Functions.Hosting;

/// <summary>
/// The app's storage account, configured the way the Functions host configures <c>AzureWebJobsStorage</c>:
/// a connection string (locally, <c>UseDevelopmentStorage=true</c>), or in Azure the service URIs
/// <c>AzureWebJobsStorage__blobServiceUri</c> / <c>__queueServiceUri</c> / <c>__tableServiceUri</c> with a managed
/// identity (<c>AzureWebJobsStorage__clientId</c> names a user-assigned one).
/// </summary>
public sealed class StorageAccount
{
    public const string Setting = "AzureWebJobsStorage";

    private readonly StorageConnectionString? _connectionString;
    private readonly (Uri Blob, Uri Queue, Uri Table)? _serviceUris;
    private readonly TokenCredential? _credential;
    private readonly StorageClientOptions _options = new();
    private readonly QueueClientOptions _queueOptions = new();

    private StorageAccount(StorageConnectionString connectionString) => _connectionString = connectionString;

    private StorageAccount((Uri Blob, Uri Queue, Uri Table) serviceUris, TokenCredential credential)
    {
        _serviceUris = serviceUris;
        _credential = credential;
    }

    /// <summary>Where the account is, for logs; never includes a key.</summary>
    public string Description => _connectionString is { } cs
        ? $"{cs.AccountName} at {cs.TableEndpoint.GetLeftPart(UriPartial.Authority)} (shared key)"
        : $"{_serviceUris!.Value.Table.Host} (managed identity)";

    public static StorageAccount FromConfiguration(IConfiguration configuration)
    {
        if (configuration[Setting] is { Length: > 0 } connectionString)
        {
            return new StorageAccount(StorageConnectionString.Parse(connectionString));
        }

        var section = configuration.GetSection(Setting);
        Uri Required(string name) => section[name] is { Length: > 0 } value
            ? new Uri(value)
            : throw new InvalidOperationException(
                $"Storage is not configured: set {Setting} to a connection string, or {Setting}__{name} (with " +
                $"{Setting}__blobServiceUri, __queueServiceUri and __tableServiceUri) for a managed identity.");
        var uris = (Required("blobServiceUri"), Required("queueServiceUri"), Required("tableServiceUri"));
        TokenCredential credential = section["clientId"] is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
        return new StorageAccount(uris, credential);
    }

    public TableClient GetTableClient(string tableName) => _connectionString is { } cs
        ? new TableClient(cs.ToString(), tableName, _options)
        : new TableClient(_serviceUris!.Value.Table, tableName, _credential!, _options);

    public QueueClient GetQueueClient(string queueName) => _connectionString is { } cs
        ? new QueueClient(cs.ToString(), queueName, _queueOptions)
        : new QueueClient(_serviceUris!.Value.Queue, queueName, _credential!, _queueOptions);

    public BlobContainerClient GetBlobContainerClient(string containerName) => _connectionString is { } cs
        ? new BlobContainerClient(cs.ToString(), containerName, _options)
        : new BlobContainerClient(_serviceUris!.Value.Blob, containerName, _credential!, _options);
}
