using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Data.Billing;
using OpenCIS.Data.Ledger;

namespace OpenCIS.Data.Storage.Bulk;

/// <summary>
/// Saves a <see cref="BillingBatch"/> inside the caller's transaction, past EF Core: ids for every
/// new row are reserved in one round trip (from the identity sequences on PostgreSQL; above the
/// highest id on SQLite, whose write lock the transaction holds), children point at their parents
/// by those ids, and each table's rows go in one bulk write. The rows are the ones EF Core would
/// have written, so everything else reads them back as usual.
/// </summary>
internal static class BillingBulkWriter
{
    public static async Task WriteAsync(OpenCisDbContext db, BillingBatch batch, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("A billing batch is written inside the caller's transaction.");
        var connection = db.Database.GetDbConnection();

        var glEntries = batch.Transactions.SelectMany(t => t.GlEntries.Select(g => (Transaction: t, Entry: g))).ToList();
        var segments = batch.Bills.SelectMany(b => b.Segments.Select(s => (Bill: b, Segment: s))).ToList();
        var lines = segments.SelectMany(s => s.Segment.Lines.Select(l => (s.Segment, Line: l))).ToList();
        var removed = segments.SelectMany(s => s.Segment.RemovedMeters.Select(m => (s.Segment, Meter: m))).ToList();

        var ids = await IdBlocks.ReserveAsync(connection, transaction, [
            ("financial_transactions", batch.Transactions.Count),
            ("gl_entries", glEntries.Count),
            ("open_items", batch.NewItems.Count),
            ("item_allocations", batch.Allocations.Count),
            ("bills", batch.Bills.Count),
            ("bill_segments", segments.Count),
            ("bill_lines", lines.Count),
            ("bill_removed_meters", removed.Count),
        ], cancellationToken);
        Assign(batch.Transactions, ids[0], (t, id) => t.Id = id);
        Assign(glEntries, ids[1], (g, id) => g.Entry.Id = id);
        Assign(batch.NewItems, ids[2], (o, id) => o.Id = id);
        Assign(batch.Allocations, ids[3], (a, id) => a.Id = id);
        Assign(batch.Bills, ids[4], (b, id) => b.Id = id);
        Assign(segments, ids[5], (s, id) => s.Segment.Id = id);
        Assign(lines, ids[6], (l, id) => l.Line.Id = id);
        Assign(removed, ids[7], (r, id) => r.Meter.Id = id);

        await BulkInsert.WriteAsync(connection, Tables.Transactions, batch.Transactions, cancellationToken);
        await BulkInsert.WriteAsync(connection, Tables.GlEntries, glEntries, cancellationToken);
        await BulkInsert.WriteAsync(connection, Tables.OpenItems, batch.NewItems, cancellationToken);
        await BulkInsert.WriteAsync(connection, Tables.Allocations, batch.Allocations, cancellationToken);
        await BulkInsert.WriteAsync(connection, Tables.Bills, batch.Bills, cancellationToken);
        await BulkInsert.WriteAsync(connection, Tables.Segments, segments, cancellationToken);
        await BulkInsert.WriteAsync(connection, Tables.Lines, lines, cancellationToken);
        await BulkInsert.WriteAsync(connection, Tables.RemovedMeters, removed, cancellationToken);
        await BulkInsert.WriteAsync(connection, Tables.Exceptions, batch.Exceptions, cancellationToken);
        await UpdateOpenAmountsAsync(connection, transaction, batch.ChangedItems.Where(i => !batch.NewItems.Contains(i)).ToList(), cancellationToken);
    }

    private static void Assign<T>(List<T> rows, long[] ids, Action<T, long> set)
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

    private static class Tables
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
            ["id", "charge_item_id", "credit_item_id", "amount_cents", "allocated_at"],
            (w, a) =>
            {
                w.Int64(a.Id);
                w.Int64(a.ChargeItem?.Id ?? a.ChargeItemId);
                w.Int64(a.CreditItem?.Id ?? a.CreditItemId);
                w.Int64(a.AmountCents);
                w.Timestamp(a.AllocatedAt);
            });

        public static readonly BulkTable<Bill> Bills = new("bills",
            ["id", "account_id", "billing_run_id", "bill_date", "due_date", "period_start", "period_end", "previous_balance_cents", "payments_cents",
                "adjustments_cents", "current_charges_cents", "amount_due_cents", "financial_transaction_id", "status"],
            (w, b) =>
            {
                w.Int64(b.Id);
                w.Int64(b.AccountId);
                w.Int64(b.BillingRunId);
                w.Date(b.BillDate);
                w.Date(b.DueDate);
                w.Date(b.PeriodStart);
                w.Date(b.PeriodEnd);
                w.Int64(b.PreviousBalanceCents);
                w.Int64(b.PaymentsCents);
                w.Int64(b.AdjustmentsCents);
                w.Int64(b.CurrentChargesCents);
                w.Int64(b.AmountDueCents);
                w.Int64(b.Transaction?.Id ?? b.FinancialTransactionId);
                w.Utf8(EnumUtf8<BillStatus>.Of(b.Status));
            });

        public static readonly BulkTable<(Bill Bill, Billing.BillSegment Segment)> Segments = new("bill_segments",
            ["id", "bill_id", "service_agreement_id", "service", "tariff_code", "meter_serial", "previous_reading", "previous_read_on", "present_reading",
                "present_read_on", "multiplier", "usage_quantity", "usage_unit", "amount_cents", "present_read_estimated"],
            (w, row) =>
            {
                var s = row.Segment;
                w.Int64(s.Id);
                w.Int64(row.Bill.Id);
                w.Int64(s.ServiceAgreementId);
                w.Utf8(EnumUtf8<Service>.Of(s.Service));
                w.Text(s.TariffCode);
                w.Text(s.MeterSerial);
                w.Int64(s.PreviousReading);
                w.Date(s.PreviousReadOn);
                w.Int64(s.PresentReading);
                w.Date(s.PresentReadOn);
                w.Decimal(s.Multiplier);
                w.Decimal(s.UsageQuantity);
                if (s.UsageUnit is { } unit)
                {
                    w.Utf8(EnumUtf8<Unit>.Of(unit));
                }
                else
                {
                    w.Text(null);
                }

                w.Int64(s.AmountCents);
                w.Bool(s.PresentReadEstimated);
            });

        public static readonly BulkTable<(Billing.BillSegment Segment, BillLine Line)> Lines = new("bill_lines",
            ["id", "bill_segment_id", "sequence", "code", "description", "amount_cents", "trace"],
            (w, row) =>
            {
                w.Int64(row.Line.Id);
                w.Int64(row.Segment.Id);
                w.Int32(row.Line.Sequence);
                w.Text(row.Line.Code);
                w.Text(row.Line.Description);
                w.Int64(row.Line.AmountCents);
                w.Text(row.Line.Trace);
            });

        public static readonly BulkTable<(Billing.BillSegment Segment, BillRemovedMeter Meter)> RemovedMeters = new("bill_removed_meters",
            ["id", "bill_segment_id", "meter_serial", "previous_reading", "previous_read_on", "final_reading", "removed_on", "multiplier"],
            (w, row) =>
            {
                var m = row.Meter;
                w.Int64(m.Id);
                w.Int64(row.Segment.Id);
                w.Text(m.MeterSerial);
                w.Int64(m.PreviousReading);
                w.Date(m.PreviousReadOn);
                w.Int64(m.FinalReading);
                w.Date(m.RemovedOn);
                w.Decimal(m.Multiplier);
            });

        public static readonly BulkTable<BillingException> Exceptions = new("billing_exceptions",
            ["billing_run_id", "account_id", "reason"],
            (w, x) =>
            {
                w.Int64(x.BillingRunId);
                w.Int64(x.AccountId);
                w.Text(x.Reason);
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
            command.CommandText = "SELECT " + string.Join(", ", wanted.Select(w =>
                $"(SELECT array_agg(nextval(pg_get_serial_sequence('{w.Table}', 'id'))) FROM generate_series(1, {w.Count}))"));
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
