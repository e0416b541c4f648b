using FastTrack.Core.Storage;
using FastTrack.Core.Outbox;
using FastTrack.Core.Privacy;

namespace FastTrack.Core.Vouchers;

public static class VoucherServiceCollectionExtensions
{
    public const string DispatchQueueName = "voucher-dispatch";

    /// <summary>The voucher lifecycle: stores, indexes, service, dispatcher, its trigger handlers and its APIs.</summary>
    public static IServiceCollection AddVouchers(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<VoucherSettings>(configuration.GetSection(VoucherSettings.Section));
        services.AddSingleton(provider => new PendingDispatch(provider.GetRequiredService<StorageResources>(), "voucher"));
        services.AddSingleton(provider => new DispatchRequests(provider.GetRequiredService<StorageResources>(), DispatchQueueName));
        services.AddSingleton<VoucherStore>();
        services.AddSingleton<VoucherCalendar>();
        services.AddSingleton<RedemptionReviews>();
        services.AddSingleton<VoucherService>();
        services.AddSingleton<OutboxRunner>();
        services.AddSingleton<VoucherDispatcher>();
        services.AddSingleton<IRetainedDocuments, VoucherDocuments>();
        services.AddSingleton<VoucherSweep>();
        services.AddSingleton<DocumentStore>();
        services.AddSingleton<RedemptionIntake>();
        services.AddSingleton<RedemptionUploads>();
        services.AddSingleton<VoucherLinks>();
        services.AddSingleton<RedemptionDrop>();
        services.AddSingleton<VouchersApi>();
        services.AddSingleton<RedemptionUploadsApi>();
        return services;
    }
}
