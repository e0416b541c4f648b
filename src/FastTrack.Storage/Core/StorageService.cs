namespace FastTrack.Storage.Core;

/// <summary>The three services of an account; Table signs its requests differently from Blob and Queue.</summary>
public enum StorageService
{
    Blob,
    Queue,
    Table,
}
