using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenCIS.Core.Invoices;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Invoices;
using OpenCIS.UseCases.Ledger;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// PostgreSQL keeps the statements a connection runs again and again prepared (Npgsql's automatic preparation), unless the
/// connection string says otherwise; the debt check's read of a debtor is among them, its text the same for every debtor.
/// </summary>
public sealed class PreparedStatementsTests
{
    [Fact]
    public void Postgres_connections_prepare_what_they_repeat_unless_the_connection_string_says_otherwise()
    {
        var settings = DatabaseSettings.FromConnectionString("Host=db.example;Username=cis;Password=secret;Database=city");
        var builder = new NpgsqlConnectionStringBuilder(settings.PostgresConnectionString());
        Assert.Equal((DatabaseSettings.MaxAutoPrepared, "db.example", "secret"), (builder.MaxAutoPrepare, builder.Host, builder.Password));

        var pooler = DatabaseSettings.FromConnectionString("Host=pgbouncer;Username=cis;Password=secret;Database=city;Max Auto Prepare=0");
        Assert.Equal(0, new NpgsqlConnectionStringBuilder(pooler.PostgresConnectionString()).MaxAutoPrepare);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_debt_check_asked_again_and_again_runs_prepared_on_postgres(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "prepared-statements");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        await sp.GetRequiredService<ConfigureLedger>().SaveAccountAsync(new GlAccountDefinition("4820", "False alarm fees", "10", "General", "2110"), "admin");
        await sp.GetRequiredService<InvoiceTypes>().SaveAsync("ALARM", "False alarm", "4820", 30, null, true, "admin");
        var create = sp.GetRequiredService<CreateInvoice>();
        foreach (var name in new[] { "Ada Quinn", "Ben Quinn" })
        {
            await create.ExecuteAsync(new CreateInvoiceRequest(null, new ApplyingCustomer(CustomerKind.Person, name, new DateOnly(1970, 3, 3), null, null, null, null, $"{name.Length} Lark Lane",
                "Riverbend", "OR", "97401"), "ALARM", [new InvoiceLine("False alarm", 1m, 75m)]), "clerk");
        }

        var db = sp.GetRequiredService<OpenCisDbContext>();
        db.ChangeTracker.Clear();
        await db.Database.OpenConnectionAsync();
        var check = sp.GetRequiredService<DebtCheck>();
        foreach (var name in new[] { "Ada Quinn", "Quinn", "Ben Quinn", "Quinn", "Ada Quinn", "Quinn", "Ben Quinn" })
        {
            var found = await check.ExecuteAsync(DebtCheckBy.Name, name, "clerk", "screen");
            Assert.Equal(name == "Quinn" ? 2 : 1, found.Debtors.Count);
            Assert.All(found.Debtors, d => Assert.Equal(75_00L, d.Owed.Cents));
        }

        if (provider == TestProvider.Postgres)
        {
            // Two debtors or one, the read's statements are the same text, run seven times on this connection: prepared.
            var prepared = await db.Database.SqlQueryRaw<string>("SELECT statement AS \"Value\" FROM pg_prepared_statements").ToListAsync();
            Assert.Contains(prepared, s => s.Contains("FROM holds h", StringComparison.Ordinal));
            Assert.Contains(prepared, s => s.Contains("FROM customers c WHERE c.id = ANY", StringComparison.Ordinal));
            Assert.Contains(prepared, s => s.Contains("FROM open_items o WHERE o.open_cents <> 0 AND o.account_id = ANY", StringComparison.Ordinal));
            Assert.Contains(prepared, s => s.Contains("INSERT INTO debt_checks", StringComparison.Ordinal));
        }

        await db.Database.CloseConnectionAsync();
    }
}
