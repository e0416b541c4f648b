using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FastTrack.Domain;
using FastTrack.Domain.Vouchers;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using FastTrack.Core.Outbox;

namespace FastTrack.Core.Vouchers;

/// <summary>
/// One voucher is one partition of table <c>Vouchers</c>: a <c>state</c> row (the voucher, whose ETag guards every
/// change) and <c>outbox-…</c> rows (emails and events still to send), committed together. The voucher's id is derived
/// from the customer's TPID (<see cref="IdFor"/>), so "one voucher per TPID, ever" is the row's uniqueness.
/// </summary>
public sealed class VoucherStore(StorageResources storage)
{
    public const string TableName = "Vouchers";

    /// <summary>The row key of each voucher's state row.</summary>
    public const string StateRow = "state";

    /// <summary>The state row's property holding the voucher as JSON.</summary>
    public const string StateProperty = "State";

    public PartitionOutbox<VoucherEffect> Outbox { get; } = new(storage, TableName);

    /// <summary>The voucher id of a TPID: <c>CSO-</c> and 16 hex digits of its SHA-256, stable and safe in a key.</summary>
    public static string IdFor(string tpid) =>
        "CSO-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(tpid)))[..16];

    public async Task<LoadedVoucher?> LoadAsync(string voucherId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(voucherId, StateRow, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return null;
        }

        var entity = row.Value!;
        return new LoadedVoucher(VoucherOf(entity), entity.ETag, entity.GetInt32("OutboxCount") ?? 0);
    }

    /// <summary>The voucher in a <see cref="StateRow"/> row.</summary>
    public static Voucher VoucherOf(TableEntity stateRow)
    {
        ArgumentNullException.ThrowIfNull(stateRow);
        return JsonSerializer.Deserialize<Voucher>(stateRow.GetString(StateProperty)!, DomainJson.Options)!;
    }

    /// <summary>Creates the voucher with its first effects; false when its TPID already has one.</summary>
    public async Task<bool> CreateAsync(Voucher voucher, IReadOnlyList<VoucherEffect> effects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(voucher);
        var table = await storage.TableAsync(TableName, cancellationToken);
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, StateEntity(voucher, effects.Count)) };
        actions.AddRange(Outbox.Append(voucher.Id, effects, countBefore: 0));
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException failure) when (failure.Status == 409 && failure.FailedTransactionActionIndex == 0)
        {
            // The state row, the first action, exists: created first by someone else. (A 409 on a later row would be a
            // bug, not a lost race, and is not answered as one.)
            return false;
        }
    }

    /// <summary>Commits a change made to <paramref name="loaded"/>; false when the voucher changed since (decide again).</summary>
    public async Task<bool> CommitAsync(LoadedVoucher loaded, Voucher voucher, IReadOnlyList<VoucherEffect> effects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(voucher);
        var table = await storage.TableAsync(TableName, cancellationToken);
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateReplace, StateEntity(voucher, loaded.OutboxCount + effects.Count), loaded.ETag),
        };
        actions.AddRange(Outbox.Append(voucher.Id, effects, loaded.OutboxCount));
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException failure) when (failure.Status == 412)
        {
            return false;
        }
    }

    private static TableEntity StateEntity(Voucher voucher, int outboxCount) => new(voucher.Id, StateRow)
    {
        [StateProperty] = JsonSerializer.Serialize(voucher, DomainJson.Options),
        ["Status"] = voucher.Status.ToString(),
        ["Tpid"] = voucher.Tpid,
        ["ReferralId"] = voucher.ReferralId,
        ["PartnerId"] = voucher.PartnerId,
        ["OutboxCount"] = outboxCount,
    };
}

/// <summary>A voucher as loaded, with the ETag a commit on it is conditioned on and its outbox row count.</summary>
public sealed record LoadedVoucher(Voucher Voucher, ETag ETag, int OutboxCount);
