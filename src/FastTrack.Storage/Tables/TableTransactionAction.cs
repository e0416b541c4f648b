using Azure;

namespace FastTrack.Storage.Tables;

/// <summary>The kind of write one action of an entity group transaction makes.</summary>
public enum TableTransactionActionType
{
    /// <summary>Insert; fails with 409 if the entity exists.</summary>
    Add,

    /// <summary>Merge into an existing entity, conditioned on the action's ETag (any version if none).</summary>
    UpdateMerge,

    /// <summary>Replace an existing entity, conditioned on the action's ETag (any version if none).</summary>
    UpdateReplace,

    /// <summary>Delete, conditioned on the action's ETag (any version if none).</summary>
    Delete,

    /// <summary>Insert, or merge into the entity if it exists.</summary>
    UpsertMerge,

    /// <summary>Insert, or replace the entity if it exists.</summary>
    UpsertReplace,
}

/// <summary>One write in <see cref="TableClient.SubmitTransactionAsync"/>.</summary>
public sealed class TableTransactionAction(TableTransactionActionType actionType, TableEntity entity, ETag etag = default)
{
    public TableTransactionActionType ActionType { get; } = actionType;

    public TableEntity Entity { get; } = entity ?? throw new ArgumentNullException(nameof(entity));

    /// <summary>The version an update or delete requires; default means any version.</summary>
    public ETag ETag { get; } = etag;
}
