using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using OpenCIS.Core.Collections;
using OpenCIS.Storage.Collections;

namespace OpenCIS.Storage.Bulk;

/// <summary>
/// Saves a <see cref="CollectionBatch"/> inside the caller's transaction, past EF Core: the postings
/// through <see cref="LedgerBulkWriter"/>, the events with the ids of their postings, and each account's
/// standing (the old rows of the chunk's accounts deleted, the new ones inserted: one statement each).
/// </summary>
internal static class CollectionsBulkWriter
{
    public static async Task WriteAsync(OpenCisDbContext db, CollectionBatch batch, CancellationToken cancellationToken)
    {
        var (connection, transaction, ids) = await LedgerBulkWriter.WriteAsync(db, batch, [("collection_events", batch.Events.Count)], cancellationToken);
        for (var i = 0; i < batch.Events.Count; i++)
        {
            var (record, posting) = batch.Events[i];
            record.Id = ids[0][i];
            record.FinancialTransactionId = posting?.Id;
        }

        await BulkInsert.WriteAsync(connection, Tables.Events, batch.Events.Select(e => e.Event).ToList(), cancellationToken);
        await DeleteStandingsAsync(connection, transaction, batch.Standings.Select(s => s.AccountId).ToArray(), cancellationToken);
        await BulkInsert.WriteAsync(connection, Tables.Standings, batch.Standings, cancellationToken);
        await DecideAsync(connection, transaction, batch, cancellationToken);
    }

    /// <summary>The day's broken and completed arrangements and decided promises: a few rows a day, one statement each.</summary>
    private static async Task DecideAsync(DbConnection connection, DbTransaction transaction, CollectionBatch batch, CancellationToken cancellationToken)
    {
        foreach (var (id, stage, on, reason) in batch.Arrangements)
        {
            await ExecuteAsync(connection, transaction, "UPDATE payment_arrangements SET status = @status, status_on = @on, status_reason = @reason WHERE id = @id",
                [("status", stage.ToString()), ("on", on), ("reason", reason.Length <= 500 ? reason : reason[..500]), ("id", id)], cancellationToken);
        }

        foreach (var (id, status, on) in batch.Promises)
        {
            await ExecuteAsync(connection, transaction, "UPDATE promises_to_pay SET status = @status, decided_on = @on WHERE id = @id",
                [("status", status.ToString()), ("on", on), ("id", id)], cancellationToken);
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = connection is NpgsqlConnection || value is not DateOnly date ? value : date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task DeleteStandingsAsync(DbConnection connection, DbTransaction transaction, long[] accountIds, CancellationToken cancellationToken)
    {
        if (accountIds.Length == 0)
        {
            return;
        }

        if (connection is NpgsqlConnection npgsql)
        {
            await using var command = new NpgsqlCommand("DELETE FROM account_collections WHERE account_id = ANY(@ids)", npgsql, (NpgsqlTransaction)transaction);
            command.Parameters.Add(new NpgsqlParameter<long[]>("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = accountIds });
            await command.ExecuteNonQueryAsync(cancellationToken);
            return;
        }

        await using var delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM account_collections WHERE account_id IN (SELECT value FROM json_each($ids))";
        var parameter = delete.CreateParameter();
        parameter.ParameterName = "$ids";
        parameter.Value = "[" + string.Join(",", accountIds) + "]";
        delete.Parameters.Add(parameter);
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static class Tables
    {
        public static readonly BulkTable<CollectionEventRecord> Events = new("collection_events",
            ["id", "account_id", "business_date", "collection_run_id", "action", "step", "amount_cents", "bill_reference", "reason", "financial_transaction_id", "bill_transaction_id", "created_at"],
            (w, e) =>
            {
                w.Int64(e.Id);
                w.Int64(e.AccountId);
                w.Date(e.BusinessDate);
                w.Int64(e.CollectionRunId);
                w.Utf8(EnumUtf8<CollectionAction>.Of(e.Action));
                w.Text(e.Step?.ToString());
                w.Int64(e.AmountCents);
                w.Text(e.BillReference);
                w.Text(e.Reason);
                w.Int64(e.FinancialTransactionId);
                w.Int64(e.BillTransactionId);
                w.Timestamp(e.CreatedAt);
            });

        public static readonly BulkTable<AccountCollection> Standings = new("account_collections",
            ["account_id", "policy_code", "status", "days_past_due", "past_due_cents", "listed", "listed_on", "list_reason", "protected_by", "final_notice_on",
                "earliest_disconnect_on", "explanation", "last_run_on", "updated_at"],
            (w, s) =>
            {
                w.Int64(s.AccountId);
                w.Text(s.PolicyCode);
                w.Utf8(EnumUtf8<CollectionStatus>.Of(s.Status));
                w.Int32(s.DaysPastDue);
                w.Int64(s.PastDueCents);
                w.Bool(s.Listed);
                w.Date(s.ListedOn);
                w.Text(s.ListReason);
                w.Text(s.ProtectedBy);
                w.Date(s.FinalNoticeOn);
                w.Date(s.EarliestDisconnectOn);
                w.Text(s.Explanation);
                w.Date(s.LastRunOn);
                w.Timestamp(s.UpdatedAt);
            });
    }
}
