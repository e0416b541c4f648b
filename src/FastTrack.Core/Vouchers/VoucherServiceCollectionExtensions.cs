using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using FastTrack.Core.Outbox;
using FastTrack.Core.Privacy;
using FastTrack.Core.Referrals;
using FastTrack.Functions.Triggers;

namespace FastTrack.Core.Vouchers;

public static class VoucherServiceCollectionExtensions
{
    /// <summary>The service key of the vouchers' own <see cref="PendingDispatch"/> and <see cref="DispatchRequests"/>.</summary>
    public const string Key = "vouchers";

    public const string DispatchQueueName = "voucher-dispatch";

    /// <summary>The voucher lifecycle: stores, indexes, service, dispatcher, and its triggered functions.</summary>
    public static IServiceCollection AddVouchers(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<VoucherSettings>(configuration.GetSection(VoucherSettings.Section));
        services.AddKeyedSingleton(Key, (provider, _) => new PendingDispatch(provider.GetRequiredService<StorageResources>(), "voucher"));
        services.AddKeyedSingleton(Key, (provider, _) => new DispatchRequests(provider.GetRequiredService<StorageResources>(), DispatchQueueName));
        services.AddSingleton<VoucherStore>();
        services.AddSingleton<VoucherCalendar>();
        services.AddSingleton<RedemptionReviews>();
        services.AddSingleton<VoucherService>();
        services.AddSingleton<VoucherDispatcher>();
        services.AddSingleton<IRetainedDocuments, VoucherDocuments>();
        services.AddTriggeredFunction<VoucherSweepFunction>();
        services.AddTriggeredFunction<VoucherDispatchFunction>();
        services.AddSingleton<DocumentStore>();
        services.AddSingleton<RedemptionIntake>();
        services.AddSingleton<RedemptionUploads>();
        services.AddSingleton<VoucherLinks>();
        services.AddTriggeredFunction<RedemptionDropFunction>();
        return services;
    }
}
