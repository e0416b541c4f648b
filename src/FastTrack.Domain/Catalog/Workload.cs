namespace FastTrack.Domain.Catalog;

/// <summary>The workloads an RFA may request and a partner may be endorsed for (API.md codes).</summary>
public enum Workload
{
    ExchangeOnline,
    SharePointOnline,
    Teams,
    M365Apps,
    Intune,
    DefenderForEndpoint,
    EntraId,
    Purview,
    Windows,
    VivaConnections,
    VivaInsights,
    VivaGoals,
    VivaLearning,
    VivaGlint,
    PowerBI,
    PowerApps,
}
