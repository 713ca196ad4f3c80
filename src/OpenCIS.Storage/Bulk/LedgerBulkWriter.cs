using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Ledger;

namespace OpenCIS.Storage.Bulk;

/// <summary>
/// Saves a <see cref="LedgerBatch"/> inside the caller's transaction: reserves ids for its rows and
/// for the caller's own tables in one round trip, writes transactions, GL lines, open items and
/// allocations, and keeps the open amount of loaded items that were settled. Returns the ids
/// reserved for the caller's tables, in the order asked.
/// </summary>
internal static class LedgerBulkWriter
{
    public static async Task<(DbConnection Connection, DbTransaction Transaction, long[][] Ids)> WriteAsync(
        OpenCisDbContext db, LedgerBatch batch, IReadOnlyList<(string Table, int Count)> more, CancellationToken cancellationToken)
    {
        var (connection, transaction) = BulkInsert.Open(db);
        var glEntries = batch.Transactions.SelectMany(t => t.GlEntries.Select(g => (Transaction: t, Entry: g))).ToList();
        var ids = await IdBlocks.ReserveAsync(connection, transaction, [
            ("financial_transactions", batch.Transactions.Count),
            ("gl_entries", glEntries.Count),
            ("open_items", batch.NewItems.Count),
            ("item_allocations", batch.Allocations.Count),
            .. more,
        ], cancellationToken);
        Assign(batch.Transactions, ids[0], (t, id) => t.Id = id);
        Assign(glEntries, ids[1], (g, id) => g.Entry.Id = id);
        Assign(batch.NewItems, ids[2], (o, id) => o.Id = id);
        Assign(batch.Allocations, ids[3], (a, id) => a.Id = id);

        await BulkInsert.WriteAsync(connection, Tables.Transactions, batch.Transactions, cancellationToken);
        await BulkInsert.WriteAsync(connection, Tables.GlEntries, glEntries, cancellationToken);
        await BulkInsert.WriteAsync(connection, Tables.OpenItems, batch.NewItems, cancellationToken);
        await BulkInsert.WriteAsync(connection, Tables.Allocations, batch.Allocations, cancellationToken);
        var newItems = new HashSet<OpenItem>(batch.NewItems, ReferenceEqualityComparer.Instance);
        await UpdateOpenAmountsAsync(connection, transaction, batch.ChangedItems.Where(i => !newItems.Contains(i)).ToList(), cancellationToken);
        return (connection, transaction, ids[4..]);
    }

    public static void Assign<T>(List<T> rows, long[] ids, Action<T, long> set)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            set(rows[i], ids[i]);
        }
    }

    /// <summary>Loaded open items that a posting settled: their open amount is kept on the row.</summary>
    private static async Task UpdateOpenAmountsAsync(DbConnection connection, DbTransaction transaction, List<OpenItem> changed, CancellationToken cancellationToken)
    {
        if (changed.Count == 0)
        {
            return;
        }

        if (connection is NpgsqlConnection)
        {
            await using var command = new NpgsqlCommand(
                "UPDATE open_items AS o SET open_cents = v.open_cents FROM unnest(@ids, @open) AS v(id, open_cents) WHERE o.id = v.id",
                (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
            command.Parameters.Add(new NpgsqlParameter<long[]>("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = changed.Select(i => i.Id).ToArray() });
            command.Parameters.Add(new NpgsqlParameter<long[]>("open", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = changed.Select(i => i.OpenCents).ToArray() });
            await command.ExecuteNonQueryAsync(cancellationToken);
            return;
        }

        await using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE open_items SET open_cents = $open WHERE id = $id";
        var id = update.CreateParameter();
        id.ParameterName = "$id";
        var open = update.CreateParameter();
        open.ParameterName = "$open";
        update.Parameters.Add(id);
        update.Parameters.Add(open);
        foreach (var item in changed)
        {
            id.Value = item.Id;
            open.Value = item.OpenCents;
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    internal static class Tables
    {
        public static readonly BulkTable<FinancialTransaction> Transactions = new("financial_transactions",
            ["id", "account_id", "type", "amount_cents", "effective_on", "posted_at", "posted_by", "reason", "reverses_transaction_id", "balance_after_cents"],
            (w, t) =>
            {
                w.Int64(t.Id);
                w.Int64(t.AccountId);
                w.Utf8(EnumUtf8<FinancialTransactionType>.Of(t.Type));
                w.Int64(t.AmountCents);
                w.Date(t.EffectiveOn);
                w.Timestamp(t.PostedAt);
                w.Text(t.PostedBy);
                w.Text(t.Reason);
                w.Int64(t.ReversesTransactionId);
                w.Int64(t.BalanceAfterCents);
            });

        public static readonly BulkTable<(FinancialTransaction Transaction, GlEntry Entry)> GlEntries = new("gl_entries",
            ["id", "financial_transaction_id", "gl_account", "debit_cents", "credit_cents", "effective_on"],
            (w, row) =>
            {
                w.Int64(row.Entry.Id);
                w.Int64(row.Transaction.Id);
                w.Text(row.Entry.GlAccount);
                w.Int64(row.Entry.DebitCents);
                w.Int64(row.Entry.CreditCents);
                w.Date(row.Entry.EffectiveOn);
            });

        public static readonly BulkTable<OpenItem> OpenItems = new("open_items",
            ["id", "account_id", "financial_transaction_id", "service", "posted_on", "due_on", "priority", "amount_cents", "open_cents"],
            (w, o) =>
            {
                w.Int64(o.Id);
                w.Int64(o.AccountId);
                w.Int64(o.Transaction?.Id ?? o.FinancialTransactionId);
                if (o.Service is { } service)
                {
                    w.Utf8(EnumUtf8<Service>.Of(service));
                }
                else
                {
                    w.Text(null);
                }

                w.Date(o.PostedOn);
                w.Date(o.DueOn);
                w.Int32(o.Priority);
                w.Int64(o.AmountCents);
                w.Int64(o.OpenCents);
            });

        public static readonly BulkTable<ItemAllocation> Allocations = new("item_allocations",
            ["id", "charge_item_id", "credit_item_id", "amount_cents", "allocated_at", "effective_on", "charge_posted_on", "credit_posted_on"],
            (w, a) =>
            {
                w.Int64(a.Id);
                w.Int64(a.ChargeItem?.Id ?? a.ChargeItemId);
                w.Int64(a.CreditItem?.Id ?? a.CreditItemId);
                w.Int64(a.AmountCents);
                w.Timestamp(a.AllocatedAt);
                w.Date(a.EffectiveOn);
                w.Date(a.ChargePostedOn);
                w.Date(a.CreditPostedOn);
            });
    }
}

/// <summary>
/// Reserves blocks of new ids for several tables in one round trip. PostgreSQL hands them out of
/// each table's identity sequence, so concurrent workers never collide. On SQLite the caller's
/// transaction holds the write lock (it began IMMEDIATE), so the ids above the highest used so far
/// (and above AUTOINCREMENT's high-water mark) are free until it commits.
/// </summary>
internal static class IdBlocks
{
    /// <summary>
    /// Each table's identity sequence, looked up once per process for each connection string: the same table name
    /// may stand for another schema's table (the billing benchmark's scratch copies, reached by a search path).
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Connection, string Table), string> Sequences = new();

    public static async Task<long[][]> ReserveAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<(string Table, int Count)> requests, CancellationToken cancellationToken)
    {
        var result = new long[requests.Count][];
        var wanted = requests.Select((r, i) => (r.Table, r.Count, Index: i)).Where(r => r.Count > 0).ToList();
        foreach (var (_, _, index) in requests.Select((r, i) => (r.Table, r.Count, i)).Where(r => r.Count == 0))
        {
            result[index] = [];
        }

        if (wanted.Count == 0)
        {
            return result;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        if (connection is NpgsqlConnection)
        {
            var where = connection.ConnectionString;
            foreach (var table in wanted.Select(w => w.Table).Where(t => !Sequences.ContainsKey((where, t))).ToList())
            {
                await using var lookup = connection.CreateCommand();
                lookup.Transaction = transaction;
                lookup.CommandText = $"SELECT pg_get_serial_sequence('{table}', 'id')";
                Sequences[(where, table)] = (string)(await lookup.ExecuteScalarAsync(cancellationToken))!;
            }

            command.CommandText = "SELECT " + string.Join(", ", wanted.Select(w =>
                $"(SELECT array_agg(nextval('{Sequences[(where, w.Table)]}')) FROM generate_series(1, {w.Count}))"));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            for (var i = 0; i < wanted.Count; i++)
            {
                var ids = reader.GetFieldValue<long[]>(i);
                Array.Sort(ids);
                result[wanted[i].Index] = ids;
            }

            return result;
        }

        command.CommandText = "SELECT " + string.Join(", ", wanted.Select(w =>
            $"MAX(COALESCE((SELECT MAX(id) FROM {w.Table}), 0), COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '{w.Table}'), 0))"));
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            for (var i = 0; i < wanted.Count; i++)
            {
                var highest = reader.GetInt64(i);
                result[wanted[i].Index] = Enumerable.Range(1, wanted[i].Count).Select(n => highest + n).ToArray();
            }
        }

        return result;
    }
}
