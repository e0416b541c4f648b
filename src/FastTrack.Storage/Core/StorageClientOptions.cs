using Azure.Core;

namespace FastTrack.Storage.Core;

/// <summary>Options shared by the Table, Blob and Queue clients: Azure.Core's retries, diagnostics and transport.</summary>
public class StorageClientOptions : ClientOptions
{
    /// <summary>The REST API version sent as <c>x-ms-version</c>; one that both Azure and Azurite 3.35 accept.</summary>
    public string ServiceVersion { get; set; } = "2024-11-04";
}
