namespace FastTrack.Domain.Catalog;

/// <summary>How pages and emails name a workload: one table, so a partner reads the same name everywhere.</summary>
public static class WorkloadNames
{
    public static string DisplayName(this Workload workload) => workload switch
    {
        Workload.ExchangeOnline => "Exchange Online",
        Workload.SharePointOnline => "SharePoint Online",
        Workload.M365Apps => "Microsoft 365 Apps",
        Workload.DefenderForEndpoint => "Defender for Endpoint",
        Workload.EntraId => "Entra ID",
        Workload.VivaConnections => "Viva Connections",
        Workload.VivaInsights => "Viva Insights",
        Workload.VivaGoals => "Viva Goals",
        Workload.VivaLearning => "Viva Learning",
        Workload.VivaGlint => "Viva Glint",
        Workload.PowerBI => "Power BI",
        Workload.PowerApps => "Power Apps",
        _ => workload.ToString(),
    };
}
