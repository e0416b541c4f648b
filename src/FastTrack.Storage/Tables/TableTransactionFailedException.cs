using Azure;

namespace FastTrack.Storage.Tables;

/// <summary>
/// An entity group transaction was rolled back. <see cref="RequestFailedException.Status"/> and
/// <see cref="RequestFailedException.ErrorCode"/> are those of the failing operation (412 for a stale ETag, 409 for a
/// duplicate add), not of the enclosing <c>$batch</c> request.
/// </summary>
public sealed class TableTransactionFailedException : RequestFailedException
{
    internal TableTransactionFailedException(Response failure, int? failedTransactionActionIndex)
        : base(failure, null, TableErrorParser.Instance)
    {
        FailedTransactionActionIndex = failedTransactionActionIndex;
    }

    /// <summary>The position, in the submitted actions, of the one that failed; null if the service did not say.</summary>
    public int? FailedTransactionActionIndex { get; }
}
