namespace FastTrack.Storage.Tables;

/// <summary>How a write treats the stored entity's properties that the new entity does not carry.</summary>
public enum TableUpdateMode
{
    /// <summary>Keep them: only the properties sent are written (MERGE).</summary>
    Merge,

    /// <summary>Drop them: the stored entity becomes exactly the one sent (PUT).</summary>
    Replace,
}
