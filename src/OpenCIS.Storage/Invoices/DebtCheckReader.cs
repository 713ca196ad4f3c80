using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenCIS.Core.Bankruptcy;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Liens;
using OpenCIS.Storage.Customers;

namespace OpenCIS.Storage.Invoices;

/// <summary>A debtor found: the name, identity (masked) and mailing address the check shows.</summary>
public sealed record DebtorParty(long Id, string DisplayName, string MaskedIdentity, string MailingAddress);

/// <summary>An account a debtor is the main customer of.</summary>
public sealed record DebtorAccount(long CustomerId, long AccountId, string AccountNumber, AccountStatus Status, long? PremiseId);

/// <summary>What is open of one posting on a debtor's account, its service parts added up.</summary>
public readonly record struct DebtorOpenItem(long AccountId, long TransactionId, DateOnly DueOn, long OpenCents);

/// <summary>An open invoice of a debtor's, with its type's name.</summary>
public sealed record DebtorInvoice(long Id, long AccountId, long TransactionId, string TypeCode, string TypeName, string? Reference, string? ParcelId, long AmountCents, DateOnly DueOn);

/// <summary>A bankruptcy case over one of a debtor's accounts, with what is open of the account's claim and its oldest due date.</summary>
public sealed record DebtorCase(long AccountId, string CaseNumber, BankruptcyChapter Chapter, string Court, DateOnly PetitionDate, BankruptcyStatus Status, DateOnly? ClosedOn,
    long ClaimOpenCents, DateOnly? ClaimOldestDue);

/// <summary>A lien in force on one of a debtor's accounts.</summary>
public sealed record DebtorLien(long Id, long AccountId, string ParcelId, LienStatus Status)
{
    public string Number => PremiseLiens.Number(Id);
}

/// <summary>Everything the debt check tells of the accounts of the debtors found, read at once.</summary>
public sealed record DebtorFacts(
    IReadOnlyList<DebtorParty> Debtors,
    IReadOnlyList<DebtorAccount> Accounts,
    IReadOnlyList<DebtorOpenItem> Open,
    IReadOnlyDictionary<long, string> PremiseAddresses,
    IReadOnlyList<DebtorInvoice> Invoices,
    IReadOnlyDictionary<long, long> LateChargeInvoices,
    IReadOnlyDictionary<long, DateOnly> LastPaid,
    IReadOnlyList<DebtorCase> Cases,
    IReadOnlyList<DebtorLien> Liens,
    bool AnyHoldOnBooks);

/// <summary>
/// The debt check's read of the debtors and their accounts in two round trips. The first, by the debtors' ids: the
/// debtors, the accounts they are the main customer of, and whether any hold not yet released names them or the parcel
/// looked up (so the holds are read only when there are some). The second, by those accounts' ids: their open items,
/// premises, open invoices, invoices' late charges, last payments, bankruptcy cases and liens in force. Each is one
/// command of several statements, read result by result; both databases take the statements as they are. A check is
/// asked hundreds of times a minute at the permit counters: through EF these reads cost a round trip each and more in
/// building queries than in the database, and with the accounts found again by a subquery in every statement the
/// second read cost the database more than twice what it does by the accounts' ids.
/// </summary>
public static class DebtCheckReader
{
    public static async Task<DebtorFacts> ReadAsync(OpenCisDbContext db, IReadOnlyList<long> customerIds, string? parcel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(customerIds);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var debtors = new List<DebtorParty>();
            var links = new List<DebtorAccount>();
            bool anyHold;
            await using (var command = Command(db))
            {
                var ofDebtors = Ids(db, command, "c", customerIds);
                var parcelParameter = command.CreateParameter();
                parcelParameter.ParameterName = "parcel";
                parcelParameter.Value = (object?)parcel ?? DBNull.Value;
                parcelParameter.DbType = System.Data.DbType.String;
                command.Parameters.Add(parcelParameter);
                command.CommandText = $"""
                    SELECT c.id, c.display_name, c.identity_kind, c.identity_last_four, c.mailing_line1, c.mailing_city, c.mailing_state, c.mailing_zip
                    FROM customers c WHERE c.id {ofDebtors};
                    SELECT ac.customer_id, a.id, a.account_number, a.status, a.premise_id
                    FROM account_customers ac JOIN accounts a ON a.id = ac.account_id
                    WHERE ac.role = 'Main' AND ac.customer_id {ofDebtors};
                    SELECT COUNT(*) FROM holds h WHERE h.released_at IS NULL AND (h.customer_id {ofDebtors} OR h.parcel_id = @parcel);
                    """;
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var masked = reader.IsDBNull(2) || reader.IsDBNull(3) ? "" : IdentityNumbers.Masked(Enum.Parse<IdentityNumberKind>(reader.GetString(2)), reader.GetString(3));
                    debtors.Add(new DebtorParty(reader.GetInt64(0), reader.GetString(1), masked,
                        $"{reader.GetString(4)}, {reader.GetString(5)}, {reader.GetString(6)} {reader.GetString(7)}"));
                }

                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    links.Add(new DebtorAccount(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), Enum.Parse<AccountStatus>(reader.GetString(3)),
                        reader.IsDBNull(4) ? null : reader.GetInt64(4)));
                }

                await reader.NextResultAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                anyHold = reader.GetInt64(0) > 0;
            }

            var open = new List<DebtorOpenItem>();
            var premises = new Dictionary<long, string>();
            var invoices = new List<DebtorInvoice>();
            var lateCharges = new Dictionary<long, long>();
            var lastPaid = new Dictionary<long, DateOnly>();
            var cases = new List<DebtorCase>();
            var liens = new List<DebtorLien>();
            if (links.Count > 0)
            {
                await using var command = Command(db);
                var ofAccounts = Ids(db, command, "a", [.. links.Select(l => l.AccountId).Distinct()]);
                var ofPremises = Ids(db, command, "p", [.. links.Where(l => l.PremiseId is not null).Select(l => l.PremiseId!.Value).Distinct().DefaultIfEmpty(0)]);
                command.CommandText = $"""
                    SELECT o.account_id, o.financial_transaction_id, MIN(o.due_on), SUM(o.open_cents)
                    FROM open_items o WHERE o.open_cents <> 0 AND o.account_id {ofAccounts}
                    GROUP BY o.account_id, o.financial_transaction_id;
                    SELECT p.id, p.address_line1, p.city, p.state, p.zip FROM premises p WHERE p.id {ofPremises};
                    SELECT i.id, i.account_id, i.financial_transaction_id, i.type_code, t.name, i.reference, i.parcel_id, i.amount_cents, i.due_on
                    FROM invoices i JOIN invoice_types t ON t.code = i.type_code
                    WHERE i.account_id {ofAccounts}
                      AND EXISTS (SELECT 1 FROM open_items o WHERE o.account_id = i.account_id AND o.financial_transaction_id = i.financial_transaction_id AND o.open_cents > 0);
                    SELECT l.financial_transaction_id, l.invoice_id FROM invoice_late_charges l WHERE l.account_id {ofAccounts};
                    SELECT p.account_id, MAX(p.received_on) FROM payments p WHERE p.account_id {ofAccounts} GROUP BY p.account_id;
                    SELECT ba.account_id, c.case_number, c.chapter, c.court, c.petition_date, c.status, c.closed_on,
                           (SELECT COALESCE(SUM(x.open_cents), 0) FROM bankruptcy_claims x WHERE x.case_account_id = ba.id),
                           (SELECT MIN(x.due_on) FROM bankruptcy_claims x WHERE x.case_account_id = ba.id AND x.open_cents > 0)
                    FROM bankruptcy_accounts ba JOIN bankruptcy_cases c ON c.id = ba.case_id
                    WHERE ba.account_id {ofAccounts};
                    SELECT l.id, l.account_id, l.parcel_id, l.status FROM liens l
                    WHERE l.account_id {ofAccounts} AND l.status IN ('Noticed', 'Filed', 'PartlyPaid');
                    """;
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    open.Add(new DebtorOpenItem(reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<DateOnly>(2), reader.GetInt64(3)));
                }

                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    premises[reader.GetInt64(0)] = $"{reader.GetString(1)}, {reader.GetString(2)}, {reader.GetString(3)} {reader.GetString(4)}";
                }

                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    invoices.Add(new DebtorInvoice(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4), Text(reader, 5), Text(reader, 6),
                        reader.GetInt64(7), reader.GetFieldValue<DateOnly>(8)));
                }

                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    lateCharges[reader.GetInt64(0)] = reader.GetInt64(1);
                }

                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    lastPaid[reader.GetInt64(0)] = reader.GetFieldValue<DateOnly>(1);
                }

                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    cases.Add(new DebtorCase(reader.GetInt64(0), reader.GetString(1), Enum.Parse<BankruptcyChapter>(reader.GetString(2)), reader.GetString(3), reader.GetFieldValue<DateOnly>(4),
                        Enum.Parse<BankruptcyStatus>(reader.GetString(5)), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateOnly>(6), reader.GetInt64(7),
                        reader.IsDBNull(8) ? null : reader.GetFieldValue<DateOnly>(8)));
                }

                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    liens.Add(new DebtorLien(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), Enum.Parse<LienStatus>(reader.GetString(3))));
                }
            }

            return new DebtorFacts(debtors, links, open, premises, invoices, lateCharges, lastPaid, cases, liens, anyHold);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static DbCommand Command(OpenCisDbContext db)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    /// <summary>
    /// The condition matching a list of ids, its parameters added to the command: on PostgreSQL one array parameter, so
    /// the statement's text is the same however many there are and the connection's prepared statement serves it (see
    /// <see cref="DatabaseSettings.PostgresConnectionString"/>); on SQLite one JSON array read by <c>json_each</c>, as EF Core
    /// sends a list there, so a hundred accounts are not a hundred parameters to bind in every statement.
    /// </summary>
    private static string Ids(OpenCisDbContext db, DbCommand command, string prefix, IReadOnlyList<long> ids)
    {
        if (db.Database.IsNpgsql())
        {
            var array = command.CreateParameter();
            array.ParameterName = prefix;
            array.Value = ids.ToArray();
            command.Parameters.Add(array);
            return $"= ANY(@{prefix})";
        }

        var list = command.CreateParameter();
        list.ParameterName = prefix;
        list.Value = $"[{string.Join(',', ids.Select(id => id.ToString(CultureInfo.InvariantCulture)))}]";
        command.Parameters.Add(list);
        return $"IN (SELECT value FROM json_each(@{prefix}))";
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
