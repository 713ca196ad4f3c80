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

/// <summary>What is open of one posting, its service parts added up, with the bill it belongs to when it is a bill.</summary>
public sealed record ChunkOpenItem(long AccountId, long TransactionId, FinancialTransactionType Type, long? BillId, DateOnly PostedOn, DateOnly DueOn, long OpenCents);

/// <summary>What the run needs of an account's standing before today: how its last run left it.</summary>
public sealed record ChunkStanding(long AccountId, CollectionStatus Status, bool Listed, DateOnly? ListedOn, DateOnly? FinalNoticeOn, DateOnly? EarliestDisconnectOn, DateOnly LastRunOn);

/// <summary>
/// The daily collections run's reads of one chunk of consecutive account ids, in plain SQL that both
/// databases take as it is. The run reads every account of a chunk that has something open, its standing
/// and its recent history; through EF these reads cost more in building entities than in the database, so
/// the hot ones go straight to a data reader (the rare rows, protections, arrangements and promises, stay
/// with EF). Each read is one range seek on the account-id indexes.
/// </summary>
public static class CollectionChunkReader
{
    /// <summary>The chunk's accounts.</summary>
    public static async Task<List<ChunkAccount>> AccountsAsync(OpenCisDbContext db, long first, long last, CancellationToken cancellationToken)
    {
        await using var command = Command(db, "SELECT id, class, status FROM accounts WHERE id BETWEEN @first AND @last", first, last);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<ChunkAccount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ChunkAccount(reader.GetInt64(0), Enum.Parse<AccountClass>(reader.GetString(1)), Enum.Parse<AccountStatus>(reader.GetString(2))));
        }

        return rows;
    }

    /// <summary>Everything still open (owed or in credit) on the chunk's accounts, one row per posting, in account order.</summary>
    public static async Task<List<ChunkOpenItem>> OpenItemsAsync(OpenCisDbContext db, long first, long last, CancellationToken cancellationToken)
    {
        // The first test keeps the partial index on open items usable: it holds every column read here, in the order
        // grouped, so the rows come from the index alone, with no sort. A posting has one type (MIN only says so to
        // the database); the bill is found by its transaction's index.
        await using var command = Command(db, """
            SELECT o.account_id, o.financial_transaction_id, MIN(t.type),
                   (SELECT MIN(b.id) FROM bills b WHERE b.financial_transaction_id = o.financial_transaction_id),
                   MIN(o.posted_on), MIN(o.due_on), SUM(o.open_cents)
            FROM open_items o JOIN financial_transactions t ON t.id = o.financial_transaction_id
            WHERE o.open_cents <> 0 AND o.account_id BETWEEN @first AND @last
            GROUP BY o.account_id, o.financial_transaction_id
            ORDER BY o.account_id, o.financial_transaction_id
            """, first, last);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<ChunkOpenItem>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var type = Enum.Parse<FinancialTransactionType>(reader.GetString(2));
            rows.Add(new ChunkOpenItem(reader.GetInt64(0), reader.GetInt64(1), type,
                type == FinancialTransactionType.Bill && !reader.IsDBNull(3) ? reader.GetInt64(3) : null,
                reader.GetFieldValue<DateOnly>(4), reader.GetFieldValue<DateOnly>(5), reader.GetInt64(6)));
        }

        return rows;
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

    /// <summary>The events of the given accounts of the chunk recorded from <paramref name="since"/> to the day before <paramref name="before"/>, each account's in the order they were recorded.</summary>
    public static async Task<Dictionary<long, List<CollectionEvent>>> HistoryAsync(OpenCisDbContext db, long first, long last, IReadOnlyCollection<long> accountIds, DateOnly since, DateOnly before, CancellationToken cancellationToken)
    {
        var history = new Dictionary<long, List<CollectionEvent>>();
        if (accountIds.Count == 0)
        {
            return history;
        }

        var isPostgres = db.Database.IsNpgsql();
        await using var command = Command(db, $"""
            SELECT account_id, business_date, action, step, amount_cents, bill_reference, reason
            FROM collection_events
            WHERE account_id BETWEEN @first AND @last AND business_date >= @since AND business_date < @before
              AND account_id {(isPostgres ? "= ANY(@ids)" : "IN (SELECT value FROM json_each(@ids))")}
            ORDER BY account_id, id
            """, first, last);
        Add(command, "since", since);
        Add(command, "before", before);
        Add(command, "ids", isPostgres ? accountIds.ToArray() : "[" + string.Join(",", accountIds) + "]");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        List<CollectionEvent>? events = null;
        var current = long.MinValue;
        while (await reader.ReadAsync(cancellationToken))
        {
            var accountId = reader.GetInt64(0);
            if (accountId != current || events is null)
            {
                events = [];
                history[accountId] = events;
                current = accountId;
            }

            events.Add(new CollectionEvent(
                reader.GetFieldValue<DateOnly>(1),
                Enum.Parse<CollectionAction>(reader.GetString(2)),
                reader.IsDBNull(4) ? null : Money.FromCents(reader.GetInt64(4)),
                reader.GetString(6),
                reader.IsDBNull(3) ? null : Enum.Parse<StepKind>(reader.GetString(3)),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return history;
    }

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
