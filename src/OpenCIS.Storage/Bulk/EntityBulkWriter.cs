using System.Data.Common;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace OpenCIS.Storage.Bulk;

/// <summary>
/// Writes many new entities of one type past the change tracker, inside the caller's open transaction:
/// ids reserved for all of them in one round trip and set on the entities (so children can point at
/// them at once), then every mapped column written in bulk (<see cref="BulkInsert"/>). The columns,
/// their values and their conversions (enums as names, money as decimals) are read from the EF
/// model itself, so a row written here is the row SaveChanges would have written; a property gained
/// later is written without anyone listing it. For the set-up rows of a large city (premises,
/// customers, meters, accounts and what joins them), where SaveChanges spends most of its time
/// preparing one INSERT per row.
/// </summary>
public static class EntityBulkWriter
{
    /// <summary>Numbers new entities (<see cref="NumberAsync{T}"/>) and writes them (<see cref="InsertAsync{T}"/>).</summary>
    public static async Task AddAsync<T>(OpenCisDbContext db, IReadOnlyList<T> entities, CancellationToken cancellationToken)
        where T : class
    {
        await NumberAsync(db, entities, cancellationToken);
        await InsertAsync(db, entities, cancellationToken);
    }

    /// <summary>
    /// Gives new entities their ids, without writing them yet, so that other rows can point at them first. On SQLite
    /// the ids are those above the table's highest: write these rows before numbering more of the same table.
    /// </summary>
    public static async Task NumberAsync<T>(OpenCisDbContext db, IReadOnlyList<T> entities, CancellationToken cancellationToken)
        where T : class
    {
        if (entities.Count == 0)
        {
            return;
        }

        var (connection, transaction) = BulkInsert.Open(db);
        var ids = await IdBlocks.ReserveAsync(connection, transaction, [(EntityTable<T>.For(db.Model).Name, entities.Count)], cancellationToken);
        for (var i = 0; i < entities.Count; i++)
        {
            EntityTable<T>.SetId(db.Model, entities[i], ids[0][i]);
        }
    }

    /// <summary>Writes entities already numbered (<see cref="NumberAsync{T}"/>).</summary>
    public static async Task InsertAsync<T>(OpenCisDbContext db, IReadOnlyList<T> entities, CancellationToken cancellationToken)
        where T : class
    {
        var (connection, _) = BulkInsert.Open(db);
        await BulkInsert.WriteAsync(connection, EntityTable<T>.For(db.Model), entities, cancellationToken);
    }

    /// <summary>
    /// Sets one column of rows already written, by id: the values go into a temporary table in bulk, and one
    /// UPDATE ... FROM (on both databases) joins them in.
    /// </summary>
    public static async Task UpdateAsync<T, TValue>(OpenCisDbContext db, IReadOnlyList<(long Id, TValue Value)> rows, string propertyName, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var (connection, transaction) = BulkInsert.Open(db);
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var tableName = entityType.GetTableName()!;
        var store = StoreObjectIdentifier.Table(tableName, entityType.GetSchema());
        var property = entityType.FindProperty(propertyName) ?? throw new InvalidOperationException($"{typeof(T).Name} has no property {propertyName}.");
        var column = property.GetColumnName(store)!;
        var columnType = property.GetColumnType(store);
        var write = FieldOf(property);
        const string Scratch = "bulk_update_values";
        await ExecuteAsync(connection, transaction, $"CREATE TEMP TABLE {Scratch} (id bigint PRIMARY KEY, value {columnType})", cancellationToken);
        try
        {
            var values = new BulkTable<(long Id, TValue Value)>(Scratch, ["id", "value"], (w, row) =>
            {
                w.Int64(row.Id);
                write(w, row.Value);
            });
            await BulkInsert.WriteAsync(connection, values, rows, cancellationToken);
            await ExecuteAsync(connection, transaction, $"UPDATE {tableName} SET {column} = v.value FROM {Scratch} v WHERE {tableName}.id = v.id", cancellationToken);
        }
        finally
        {
            await ExecuteAsync(connection, transaction, $"DROP TABLE {Scratch}", cancellationToken);
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>How one property's value reaches a field: through the model's converter (an enum to its name), then by the stored type.</summary>
    private static Action<IFieldWriter, object?> FieldOf(IProperty property)
    {
        var converter = property.GetTypeMapping().Converter;
        var stored = Nullable.GetUnderlyingType(converter?.ProviderClrType ?? property.ClrType) ?? converter?.ProviderClrType ?? property.ClrType;
        Action<IFieldWriter, object> write = stored switch
        {
            _ when stored == typeof(long) => (w, v) => w.Int64((long)v),
            _ when stored == typeof(int) => (w, v) => w.Int32((int)v),
            _ when stored == typeof(bool) => (w, v) => w.Bool((bool)v),
            _ when stored == typeof(string) => (w, v) => w.Text((string)v),
            _ when stored == typeof(decimal) => (w, v) => w.Decimal((decimal)v),
            _ when stored == typeof(DateOnly) => (w, v) => w.Date((DateOnly)v),
            _ when stored == typeof(DateTimeOffset) => (w, v) => w.Timestamp((DateTimeOffset)v),
            _ => throw new NotSupportedException($"{property.DeclaringType.DisplayName()}.{property.Name} is stored as {stored.Name}, which bulk writes do not write yet."),
        };
        return (w, value) =>
        {
            var provider = value is null || converter is null ? value : converter.ConvertToProvider(value);
            if (provider is null)
            {
                w.Text(null);
            }
            else
            {
                write(w, provider);
            }
        };
    }

    /// <summary>
    /// One entity type's table, columns and field writers, built once for each model (SQLite's and PostgreSQL's
    /// map some types apart).
    /// </summary>
    private static class EntityTable<T>
        where T : class
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IModel, BulkTable<T>> Tables = [];
        private static Action<T, long>? setId;

        public static BulkTable<T> For(IModel model) => Tables.GetValue(model, Build);

        private static BulkTable<T> Build(IModel model)
        {
            var entityType = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
            var name = entityType.GetTableName()!;
            var store = StoreObjectIdentifier.Table(name, entityType.GetSchema());
            var properties = entityType.GetProperties().Where(p => p.GetColumnName(store) is not null).ToList();
            // SaveChanges leaves a column with a database default out when its value is the CLR default; a bulk write would not.
            if (properties.FirstOrDefault(p => p.GetDefaultValueSql() is not null || p.TryGetDefaultValue(out _) || p.GetComputedColumnSql() is not null) is { } defaulted)
            {
                throw new NotSupportedException($"{typeof(T).Name}.{defaulted.Name} has a database default or is computed, which bulk writes do not follow.");
            }

            var fields = properties.Select(p => (Get: p.GetGetter(), Write: FieldOf(p))).ToArray();
            return new BulkTable<T>(name, [.. properties.Select(p => p.GetColumnName(store)!)], (w, entity) =>
            {
                foreach (var (get, write) in fields)
                {
                    write(w, get.GetClrValue(entity));
                }
            });
        }

        public static void SetId(IModel model, T entity, long id)
        {
            if (setId is null)
            {
                var key = model.FindEntityType(typeof(T))!.FindPrimaryKey()!.Properties.Single();
                if (key.ClrType != typeof(long))
                {
                    throw new NotSupportedException($"{typeof(T).Name}'s key is not a long id; bulk writes number rows by id.");
                }

                setId = key.PropertyInfo is { SetMethod: not null } property
                    ? (e, value) => property.SetValue(e, value)
                    : key.FieldInfo is FieldInfo field
                        ? (e, value) => field.SetValue(e, value)
                        : throw new NotSupportedException($"{typeof(T).Name}'s id cannot be set.");
            }

            setId(entity, id);
        }
    }
}
