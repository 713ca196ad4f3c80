using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Customers;

namespace OpenCIS.Storage.Collections;

/// <summary>An account of a chunk: what picks its policy.</summary>
public readonly record struct ChunkAccount(long Id, AccountClass Class, AccountStatus Status);

/// <summary>What is open of one posting, its service parts added up.</summary>
public readonly record struct ChunkOpenRow(long AccountId, long TransactionId, DateOnly PostedOn, DateOnly DueOn, long OpenCents);

/// <summary>What is open of one posting, its service parts added up, with its type and the bill it belongs to when it is a bill.</summary>
public sealed record ChunkOpenItem(long AccountId, long TransactionId, FinancialTransactionType Type, long? BillId, DateOnly PostedOn, DateOnly DueOn, long OpenCents);

/// <summary>What the run needs of an account's standing before today: how its last run left it.</summary>
public sealed record ChunkStanding(long AccountId, CollectionStatus Status, bool Listed, DateOnly? ListedOn, DateOnly? FinalNoticeOn, DateOnly? EarliestDisconnectOn, DateOnly LastRunOn);

/// <summary>
/// The history a chunk's accounts bring to the run: each account's events in order, and the postings those events
/// name, by id, with their type and (for a bill) the bill they belong to.
/// </summary>
public sealed record ChunkHistory(Dictionary<long, List<CollectionEvent>> Events, Dictionary<long, (FinancialTransactionType Type, long? BillId)> Postings);

/// <summary>
/// The daily collections run's reads of one chunk of consecutive account ids, in plain SQL that both
/// databases take as it is. The run reads every account of a chunk that has something open, its standing
/// and its recent history; through EF these reads cost more in building entities than in the database, so
/// the hot ones go straight to a data reader (the rare rows, protections, arrangements and promises, stay
/// with EF). Each read is one range seek on the account-id indexes.
/// </summary>
public static class CollectionChunkReader
{
    /// <summary>
    /// The chunk's utility accounts. A city receivables account (no premise: invoices) is not worked by the utility
    /// policies: no door hanger or disconnect follows an unpaid ambulance bill.
    /// </summary>
    public static async Task<List<ChunkAccount>> AccountsAsync(OpenCisDbContext db, long first, long last, CancellationToken cancellationToken)
    {
        await using var command = Command(db, "SELECT id, class, status FROM accounts WHERE id BETWEEN @first AND @last AND premise_id IS NOT NULL", first, last);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<ChunkAccount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ChunkAccount(reader.GetInt64(0), Enum.Parse<AccountClass>(reader.GetString(1)), Enum.Parse<AccountStatus>(reader.GetString(2))));
        }

        return rows;
    }

    /// <summary>Everything still open (owed or in credit) on the chunk's accounts, one row per posting, in account order.</summary>
    public static async Task<List<ChunkOpenRow>> OpenItemsAsync(OpenCisDbContext db, long first, long last, CancellationToken cancellationToken)
    {
        // The first test keeps the partial index on open items usable: it holds every column read here, in the order
        // grouped, so the rows come from the index alone, with no sort and no visit to the table.
        await using var command = Command(db, """
            SELECT o.account_id, o.financial_transaction_id, MIN(o.posted_on), MIN(o.due_on), SUM(o.open_cents)
            FROM open_items o
            WHERE o.open_cents <> 0 AND o.account_id BETWEEN @first AND @last
            GROUP BY o.account_id, o.financial_transaction_id
            ORDER BY o.account_id, o.financial_transaction_id
            """, first, last);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<ChunkOpenRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ChunkOpenRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<DateOnly>(2), reader.GetFieldValue<DateOnly>(3), reader.GetInt64(4)));
        }

        return rows;
    }

    /// <summary>
    /// The type of each of the given postings of the chunk, and its bill when it is one: read for the accounts the
    /// run looks at only, after the open items chose them (most of a chunk's open items are bills not yet due).
    /// </summary>
    public static async Task<Dictionary<long, (FinancialTransactionType Type, long? BillId)>> PostingKindsAsync(OpenCisDbContext db, IReadOnlyCollection<long> transactionIds, CancellationToken cancellationToken)
    {
        var kinds = new Dictionary<long, (FinancialTransactionType, long?)>(transactionIds.Count);
        if (transactionIds.Count == 0)
        {
            return kinds;
        }

        var isPostgres = db.Database.IsNpgsql();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = $"""
            SELECT t.id, t.type, CASE WHEN t.type = 'Bill' THEN (SELECT MIN(b.id) FROM bills b WHERE b.financial_transaction_id = t.id) END
            FROM financial_transactions t
            WHERE t.id {(isPostgres ? "= ANY(@ids)" : "IN (SELECT value FROM json_each(@ids))")}
            """;
        Add(command, "ids", Ids(isPostgres, transactionIds));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var type = Enum.Parse<FinancialTransactionType>(reader.GetString(1));
            kinds[reader.GetInt64(0)] = (type, type == FinancialTransactionType.Bill && !reader.IsDBNull(2) ? reader.GetInt64(2) : null);
        }

        return kinds;
    }

    /// <summary>The standings the chunk's last runs left.</summary>
    public static async Task<Dictionary<long, ChunkStanding>> StandingsAsync(OpenCisDbContext db, long first, long last, CancellationToken cancellationToken)
    {
        await using var command = Command(db, """
            SELECT account_id, status, listed, listed_on, final_notice_on, earliest_disconnect_on, last_run_on
            FROM account_collections WHERE account_id BETWEEN @first AND @last
            """, first, last);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new Dictionary<long, ChunkStanding>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new ChunkStanding(reader.GetInt64(0), Enum.Parse<CollectionStatus>(reader.GetString(1)), reader.GetBoolean(2),
                Date(reader, 3), Date(reader, 4), Date(reader, 5), reader.GetFieldValue<DateOnly>(6));
            rows[row.AccountId] = row;
        }

        return rows;
    }

    /// <summary>
    /// The events of the given accounts of the chunk recorded from <paramref name="since"/> to the day before
    /// <paramref name="before"/>, each account's by date and then in the order recorded, as the core recalls them: with
    /// their reasons where the core reads them (a step held by a protection, the account listed), empty elsewhere. With
    /// them, what the events say of the postings they name: a late charge or fee the run posted, and the bill a late
    /// charge decision was about (its bill id, or none when it had no bill row).
    /// </summary>
    public static async Task<ChunkHistory> HistoryAsync(OpenCisDbContext db, long first, long last, IReadOnlyCollection<long> accountIds, DateOnly since, DateOnly before, CancellationToken cancellationToken)
    {
        var history = new ChunkHistory([], []);
        if (accountIds.Count == 0)
        {
            return history;
        }

        var isPostgres = db.Database.IsNpgsql();
        // The core reads a past event's reason again only where it held a step or listed the account (it says so again
        // today); the others' reasons, most of the history, stay in the database. In date order, then as recorded: the
        // account-and-date index gives that order (SQLite keeps the row id last in it).
        await using var command = Command(db, $"""
            SELECT account_id, business_date, action, step, amount_cents, bill_reference,
                   CASE WHEN action IN ('Protected', 'DisconnectEligible') THEN reason ELSE '' END,
                   financial_transaction_id, bill_transaction_id
            FROM collection_events
            WHERE account_id BETWEEN @first AND @last AND business_date >= @since AND business_date < @before
              AND account_id {(isPostgres ? "= ANY(@ids)" : "IN (SELECT value FROM json_each(@ids))")}
            ORDER BY account_id, business_date, id
            """, first, last);
        Add(command, "since", since);
        Add(command, "before", before);
        Add(command, "ids", Ids(isPostgres, accountIds));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        List<CollectionEvent>? events = null;
        var current = long.MinValue;
        while (await reader.ReadAsync(cancellationToken))
        {
            var accountId = reader.GetInt64(0);
            if (accountId != current || events is null)
            {
                events = [];
                history.Events[accountId] = events;
                current = accountId;
            }

            var action = Enum.Parse<CollectionAction>(reader.GetString(2));
            var bill = reader.IsDBNull(5) ? null : reader.GetString(5);
            events.Add(new CollectionEvent(
                reader.GetFieldValue<DateOnly>(1),
                action,
                reader.IsDBNull(4) ? null : Money.FromCents(reader.GetInt64(4)),
                reader.GetString(6),
                reader.IsDBNull(3) ? null : Enum.Parse<StepKind>(reader.GetString(3)),
                bill));
            if (!reader.IsDBNull(7) && action is CollectionAction.LateCharge or CollectionAction.DoorHanger)
            {
                history.Postings[reader.GetInt64(7)] = (action == CollectionAction.LateCharge ? FinancialTransactionType.LateCharge : FinancialTransactionType.CollectionFee, null);
            }

            if (!reader.IsDBNull(8) && action is CollectionAction.LateCharge or CollectionAction.NoLateCharge)
            {
                history.Postings[reader.GetInt64(8)] = (FinancialTransactionType.Bill, long.TryParse(bill, System.Globalization.CultureInfo.InvariantCulture, out var billId) ? billId : null);
            }
        }

        return history;
    }

    /// <summary>A list of ids as one parameter: an array for PostgreSQL, a JSON array for SQLite's json_each.</summary>
    private static object Ids(bool isPostgres, IReadOnlyCollection<long> ids) =>
        isPostgres ? ids.ToArray() : "[" + string.Join(",", ids) + "]";

    private static DateOnly? Date(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateOnly>(ordinal);

    private static DbCommand Command(OpenCisDbContext db, string sql, long first, long last)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        Add(command, "first", first);
        Add(command, "last", last);
        return command;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
