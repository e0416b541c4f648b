using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace FastTrack.Core.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The storage account from configuration, its service clients, and the tables, queues and containers created on first use.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddSingleton(provider => StorageAccount.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        services.AddSingleton<TableServiceClient>(provider => provider.GetRequiredService<StorageAccount>().Tables);
        services.AddSingleton<BlobServiceClient>(provider => provider.GetRequiredService<StorageAccount>().Blobs);
        services.AddSingleton<QueueServiceClient>(provider => provider.GetRequiredService<StorageAccount>().Queues);
        services.AddSingleton<StorageResources>();
        return services;
    }
}
