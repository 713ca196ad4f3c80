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
        var segments = batch.Bills.SelectMany(b => b.Segments.Select(s => (Bill: b, Segment: s))).ToList();
        var lines = segments.SelectMany(s => s.Segment.Lines.Select(l => (s.Segment, Line: l))).ToList();
        var removed = segments.SelectMany(s => s.Segment.RemovedMeters.Select(m => (s.Segment, Meter: m))).ToList();

        var (connection, _, ids) = await LedgerBulkWriter.WriteAsync(db, batch, [
            ("bills", batch.Bills.Count),
            ("bill_segments", segments.Count),
            ("bill_lines", lines.Count),
            ("bill_removed_meters", removed.Count),
        ], cancellationToken);
        LedgerBulkWriter.Assign(batch.Bills, ids[0], (b, id) => b.Id = id);
        LedgerBulkWriter.Assign(segments, ids[1], (s, id) => s.Segment.Id = id);
        LedgerBulkWriter.Assign(lines, ids[2], (l, id) => l.Line.Id = id);
        LedgerBulkWriter.Assign(removed, ids[3], (r, id) => r.Meter.Id = id);

        await BulkInsert.WriteAsync(connection, Tables.Bills, batch.Bills, cancellationToken);
        await BulkInsert.WriteAsync(connection, Tables.Segments, segments, cancellationToken);
        await BulkInsert.WriteAsync(connection, Tables.Lines, lines, cancellationToken);
        await BulkInsert.WriteAsync(connection, Tables.RemovedMeters, removed, cancellationToken);
        await BulkInsert.WriteAsync(connection, Tables.Exceptions, batch.Exceptions, cancellationToken);

        // Plans are few (the accounts on budget billing whose bill reviewed or trued up their amount): one update each.
        foreach (var plan in batch.BudgetPlans)
        {
            await db.BudgetPlans.Where(p => p.Id == plan.Id).ExecuteUpdateAsync(set => set
                .SetProperty(p => p.MonthlyAmountCents, plan.MonthlyAmountCents)
                .SetProperty(p => p.NextReviewOn, plan.NextReviewOn), cancellationToken);
        }
    }

    internal static class Tables
    {
        /// <summary>
        /// Every column of the row. A run's bills are new regular bills, so the rebill link and the
        /// cancellation are null today; they are written anyway, so that a bill written here reads
        /// back the same as one EF Core saved, whatever the batch is given.
        /// </summary>
        public static readonly BulkTable<Bill> Bills = new("bills",
            ["id", "account_id", "billing_run_id", "bill_date", "due_date", "period_start", "period_end", "previous_balance_cents", "payments_cents",
                "adjustments_cents", "current_charges_cents", "amount_due_cents", "financial_transaction_id", "status", "kind",
                "replaces_bill_id", "canceled_at", "canceled_by", "cancel_reason", "cancellation_transaction_id", "replaced_by_bill_id", "cancel_idempotency_key",
                "hold_reasons", "released_at", "released_by", "messages", "budget_amount_cents", "budget_deferred_cents", "budget_balance_cents", "budget_true_up"],
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
                w.Utf8(EnumUtf8<BillKind>.Of(b.Kind));
                w.Int64(b.ReplacesBillId);
                w.Timestamp(b.CanceledAt);
                w.Text(b.CanceledBy);
                w.Text(b.CancelReason);
                w.Int64(b.CancellationTransactionId);
                w.Int64(b.ReplacedByBillId);
                w.Text(b.CancelIdempotencyKey);
                w.Text(b.HoldReasons);
                w.Timestamp(b.ReleasedAt);
                w.Text(b.ReleasedBy);
                w.Text(b.Messages);
                w.Int64(b.BudgetAmountCents);
                w.Int64(b.BudgetDeferredCents);
                w.Int64(b.BudgetBalanceCents);
                w.Bool(b.BudgetTrueUp);
            });

        public static readonly BulkTable<(Bill Bill, Billing.BillSegment Segment)> Segments = new("bill_segments",
            ["id", "bill_id", "service_agreement_id", "service", "tariff_code", "meter_serial", "previous_reading", "previous_read_on", "present_reading",
                "present_read_on", "multiplier", "usage_quantity", "usage_unit", "amount_cents", "present_read_estimated", "billing_demand"],
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
                w.Decimal(s.BillingDemand);
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
            },
            new UnwrittenColumn("id", "The identity column numbers it: nothing in the batch points at an exception, so no id is reserved for it."));
    }
}
