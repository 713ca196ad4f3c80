using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using OpenCIS.Storage;
using OpenCIS.Storage.Bulk;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// The bulk writers write rows past EF Core and name their columns by hand. Each must write every
/// column the EF model maps for its table or say why it leaves that column to the database, and name
/// no column the model does not have: a column the entity gained and the writer forgot would make a
/// bulk-written row read back unlike the row EF Core saves, and nothing else would notice.
/// </summary>
public sealed class BulkWriterColumnTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public void Every_bulk_writer_writes_each_column_of_its_EF_entity_or_says_why_not(DatabaseProvider provider)
    {
        var model = RelationalModel(provider);

        var differences = BulkTables.All.SelectMany(table => Differences(model, table)).ToList();

        Assert.True(differences.Count == 0, $"The bulk writers and the EF model differ ({differences.Count}):\n{string.Join("\n", differences)}");
        Assert.Contains(BulkTables.All, t => t.Table == "payments" && t.Written.Contains("drawer_session_id") && t.Written.Contains("change_due_cents"));
    }

    [Fact]
    public void The_check_names_a_forgotten_column_an_unknown_one_a_repeated_one_and_an_excuse_without_a_reason()
    {
        var payments = BulkTables.All.Single(t => t.Table == "payments");
        var wrong = new BulkColumns("payments",
            [.. payments.Written.Where(c => c is not ("change_due_cents" or "cashier" or "reference")), "receipt_number", "account_id"],
            new UnwrittenColumn("reference", " "),
            new UnwrittenColumn("id", "Also written."),
            new UnwrittenColumn("teller", "No such column."));

        var differences = Differences(RelationalModel(DatabaseProvider.Sqlite), wrong);

        Assert.Equal(
        [
            "payments.account_id: written 2 times",
            "payments.id: both written and excused",
            "payments.receipt_number: written, but the EF model maps no such column",
            "payments.teller: excused, but the EF model maps no such column",
            "payments.reference: excused without a reason",
            "payments.cashier: the EF model maps it (Payment.Cashier), but the bulk writer neither writes it nor says why not",
            "payments.change_due_cents: the EF model maps it (Payment.ChangeDueCents), but the bulk writer neither writes it nor says why not",
        ], differences);
        Assert.Equal(["payment_slips: not a table of the EF model"], Differences(RelationalModel(DatabaseProvider.Sqlite), new BulkColumns("payment_slips", ["id"])));
    }

    [Fact]
    public void The_list_of_bulk_tables_holds_every_table_a_writer_declares()
    {
        // A writer added later declares its table as a static field like the others; the check above sees it only if BulkTables lists it.
        var declared = typeof(BulkColumns).Assembly.GetTypes()
            .Where(type => !type.ContainsGenericParameters)
            .SelectMany(type => type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(field => field.FieldType == typeof(BulkColumns) || (field.FieldType.IsGenericType && field.FieldType.GetGenericTypeDefinition() == typeof(BulkTable<>)))
            .Select(field => (Field: $"{field.DeclaringType!.FullName}.{field.Name}", Columns: field.GetValue(null) is BulkColumns columns
                ? columns
                : (BulkColumns)field.FieldType.GetProperty(nameof(BulkTable<int>.Columns))!.GetValue(field.GetValue(null))!))
            .ToList();

        Assert.True(declared.Count >= 11, $"expected the ledger, billing, payment and meter read tables, found {declared.Count}");
        Assert.Empty(declared.Where(d => !BulkTables.All.Contains(d.Columns)).Select(d => d.Field));
    }

    /// <summary>How one bulk table's columns differ from the EF model's columns for that table, one line each.</summary>
    internal static List<string> Differences(IRelationalModel model, BulkColumns bulk)
    {
        var table = model.FindTable(bulk.Table, null);
        if (table is null)
        {
            return [$"{bulk.Table}: not a table of the EF model"];
        }

        var mapped = table.Columns.ToDictionary(c => c.Name);
        var excused = bulk.Unwritten.Select(u => u.Name).ToList();
        return
        [
            .. bulk.Written.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => $"{bulk.Table}.{g.Key}: written {g.Count()} times"),
            .. excused.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => $"{bulk.Table}.{g.Key}: excused {g.Count()} times"),
            .. bulk.Written.Distinct().Where(excused.Contains).Select(c => $"{bulk.Table}.{c}: both written and excused"),
            .. bulk.Written.Distinct().Where(c => !mapped.ContainsKey(c)).Select(c => $"{bulk.Table}.{c}: written, but the EF model maps no such column"),
            .. excused.Distinct().Where(c => !mapped.ContainsKey(c)).Select(c => $"{bulk.Table}.{c}: excused, but the EF model maps no such column"),
            .. bulk.Unwritten.Where(u => string.IsNullOrWhiteSpace(u.Reason)).Select(u => $"{bulk.Table}.{u.Name}: excused without a reason"),
            .. mapped.Values.Where(c => !bulk.Written.Contains(c.Name) && !excused.Contains(c.Name))
                .Select(c => $"{bulk.Table}.{c.Name}: the EF model maps it ({Property(c)}), but the bulk writer neither writes it nor says why not"),
        ];
    }

    private static string Property(IColumn column) =>
        string.Join(", ", column.PropertyMappings.Select(m => $"{m.Property.DeclaringType.ClrType.Name}.{m.Property.Name}"));

    /// <summary>The model as EF Core builds it for the provider; nothing connects to a database.</summary>
    private static IRelationalModel RelationalModel(DatabaseProvider provider)
    {
        var connectionString = provider == DatabaseProvider.Postgres ? "Host=localhost;Database=model_only" : "Data Source=:memory:";
        using var db = DatabaseSettings.FromConnectionString(connectionString).CreateContext();
        return db.GetService<IDesignTimeModel>().Model.GetRelationalModel();
    }
}
