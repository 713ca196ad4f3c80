using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Invoices;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Invoices;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Encryption;
using OpenCIS.UseCases.Payments;

namespace OpenCIS.UseCases.Invoices;

public sealed record InvoiceImportOutcome(bool Imported, bool AlreadyImported, int InvoiceCount, Money Total, IReadOnlyList<long> InvoiceNumbers, IReadOnlyList<FileError> Errors, string Message);

/// <summary>
/// Invoices from another city system's CSV export (the EMS billing vendor, the permit system, code enforcement), as
/// documented in docs/invoice-import.md: one line per invoice line; the lines of one invoice share its type and
/// reference. The file is checked whole first, and a file with any problem posts nothing, naming every problem by
/// line and field. A file is posted once: the same file again (by its SHA-256) posts nothing.
/// </summary>
public sealed class ImportInvoices(OpenCisDbContext db, FieldProtector protector, BusinessCalendar calendar, TimeProvider clock)
{
    public const int MaximumLines = 100_000;

    public static readonly string[] Columns =
        ["type", "reference", "customer_id", "kind", "name", "line1", "city", "state", "zip", "email", "phone", "identity_number", "birth_date", "parcel_id", "description", "quantity", "unit_price", "note"];

    private static readonly string[] Required = ["type", "description", "unit_price"];

    public async Task<InvoiceImportOutcome> ExecuteAsync(string fileName, byte[] content, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var sha = Convert.ToHexString(SHA256.HashData(content));
        if (await db.InvoiceImports.AsNoTracking().SingleOrDefaultAsync(i => i.Sha256 == sha, cancellationToken) is { } earlier)
        {
            return new(false, true, earlier.InvoiceCount, Money.FromCents(earlier.TotalCents), [], [],
                $"{fileName} was already imported as {earlier.FileName} by {earlier.ImportedBy} on {earlier.ImportedAt:yyyy-MM-dd}: {earlier.InvoiceCount} invoices; nothing was posted again.");
        }

        var now = clock.GetUtcNow();
        var (rows, errors) = Parse(fileName, content);
        var types = (await db.InvoiceTypes.AsNoTracking().ToListAsync(cancellationToken)).ToDictionary(t => t.Code, StringComparer.Ordinal);
        var customerIds = rows.Where(r => r.CustomerId is not null).Select(r => r.CustomerId!.Value).Distinct().ToList();
        var known = new HashSet<long>();
        foreach (var chunk in customerIds.Chunk(1_000))
        {
            known.UnionWith(await db.Customers.Where(c => chunk.Contains(c.Id)).Select(c => c.Id).ToListAsync(cancellationToken));
        }

        var invoices = new List<(ParsedRow First, InvoiceDraft Draft)>();
        foreach (var group in rows.GroupBy(r => r.Reference is null ? $"line {r.Line}" : $"{r.TypeCode}\u0001{r.Reference}"))
        {
            var first = group.First();
            var groupErrors = errors.Count;
            if (!types.TryGetValue(first.TypeCode, out var type))
            {
                errors.Add(new FileError(fileName, first.Line, "type", $"there is no invoice type {first.TypeCode}"));
            }
            else if (!type.Active)
            {
                errors.Add(new FileError(fileName, first.Line, "type", $"invoice type {first.TypeCode} ({type.Name}) is no longer used"));
            }

            if (first.CustomerId is { } id && !known.Contains(id))
            {
                errors.Add(new FileError(fileName, first.Line, "customer_id", $"there is no customer {id}"));
            }
            else if (first.CustomerId is null)
            {
                try
                {
                    Parties.Check(first.Party, now);
                }
                catch (DomainException exception)
                {
                    errors.Add(new FileError(fileName, first.Line, ColumnOf(exception.Field), exception.Message));
                }
            }

            foreach (var other in group.Skip(1).Where(r => r.PartyText != first.PartyText || r.ParcelId != first.ParcelId || r.Note != first.Note))
            {
                errors.Add(new FileError(fileName, other.Line, "name", $"the lines of invoice {first.Reference} must name the same party, parcel and note as line {first.Line}"));
            }

            try
            {
                var draft = InvoiceDraft.Create(first.TypeCode, [.. group.Select(r => r.Line_)], first.Reference, first.ParcelId, first.Note);
                if (errors.Count == groupErrors)
                {
                    invoices.Add((first, draft));
                }
            }
            catch (DomainException exception)
            {
                var lines = group.ToList();
                var (line, column) = LineOf(exception.Field, lines);
                errors.Add(new FileError(fileName, line, column, exception.Message));
            }
        }

        if (errors.Count > 0)
        {
            var ordered = errors.OrderBy(e => e.Line).ToList();
            return new(false, false, 0, Money.Zero, [], ordered, $"{fileName} has {ordered.Count} problem{(ordered.Count == 1 ? "" : "s")}; no invoice was posted.");
        }

        var today = calendar.Today();
        var posted = new List<InvoiceRow>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var (first, draft) in invoices)
        {
            var party = await Parties.ResolveAsync(db, protector, first.CustomerId, first.Party, now, cancellationToken);
            if (party.Id == 0)
            {
                await db.SaveChangesAsync(cancellationToken);
            }

            var account = await Parties.ReceivablesAccountAsync(db, party, today, cancellationToken);
            var invoice = await CreateInvoice.PostAsync(db, account, party.Id, types[draft.TypeCode].ToDefinition(), draft, today, user, now, Limit(fileName), null, null, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            CreateInvoice.Audit(db, invoice, user, now);
            await db.SaveChangesAsync(cancellationToken);
            posted.Add(invoice);
            // Each invoice is written (the transaction still open): tracking them all would make every save slower than the last.
            db.ChangeTracker.Clear();
        }

        var total = Money.Sum(invoices.Select(i => i.Draft.Total));
        db.InvoiceImports.Add(new InvoiceImportRow { FileName = Limit(fileName), Sha256 = sha, InvoiceCount = posted.Count, TotalCents = total.Cents, ImportedBy = user, ImportedAt = now });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new(true, false, posted.Count, total, [.. posted.Select(i => i.Id)], [],
            $"{fileName}: {posted.Count} invoice{(posted.Count == 1 ? "" : "s")} posted, {total} in all.");
    }

    private static string Limit(string fileName) => fileName.Length <= 260 ? fileName : fileName[..260];

    /// <summary>The CSV column a party's refusal names.</summary>
    private static string ColumnOf(string? field) => field switch
    {
        "identityNumber" => "identity_number",
        "birthDate" => "birth_date",
        null or "" => "name",
        _ => field,
    };

    /// <summary>The file line and column of a draft's refusal: <c>lines[2].unitPrice</c> is the invoice's third line's unit_price.</summary>
    private static (int Line, string Column) LineOf(string? field, List<ParsedRow> lines)
    {
        if (field is not null && field.StartsWith("lines[", StringComparison.Ordinal) && field.IndexOf(']', StringComparison.Ordinal) is var close and > 6
            && int.TryParse(field.AsSpan(6, close - 6), CultureInfo.InvariantCulture, out var index) && index < lines.Count)
        {
            var property = field[(close + 1)..].TrimStart('.');
            return (lines[index].Line, property switch { "unitPrice" => "unit_price", "" => "description", _ => property });
        }

        return (lines[0].Line, field switch { "parcelId" => "parcel_id", "lines" => "unit_price", "type" => "type", null => "type", _ => field });
    }

    private sealed record ParsedRow(int Line, string TypeCode, string? Reference, long? CustomerId, ApplyingCustomer Party, string PartyText, string? ParcelId, string? Note, InvoiceLine Line_);

    private static (List<ParsedRow> Rows, List<FileError> Errors) Parse(string fileName, byte[] content)
    {
        var rows = new List<ParsedRow>();
        var errors = new List<FileError>();
        using var csv = CsvInput.Open(new MemoryStream(content, writable: false));
        if (CsvInput.ReadHeader(csv, fileName, errors) is not { } header)
        {
            return (rows, errors);
        }

        var missing = Required.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            errors.Add(new FileError(fileName, 1, "header", $"missing column{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}; the columns are {string.Join(',', Columns)}"));
            return (rows, errors);
        }

        var unknown = header.Where(h => !Columns.Contains(h)).ToList();
        if (unknown.Count > 0)
        {
            errors.Add(new FileError(fileName, 1, "header", $"unknown column{(unknown.Count == 1 ? "" : "s")} {string.Join(", ", unknown)}; the columns are {string.Join(',', Columns)}"));
            return (rows, errors);
        }

        var index = header.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i);
        while (CsvInput.Next(csv, fileName, errors))
        {
            var line = (int)csv.LineNumber;
            if (rows.Count + errors.Count >= MaximumLines)
            {
                errors.Add(new FileError(fileName, line, "file", $"an invoice file can hold at most {MaximumLines:N0} lines"));
                break;
            }

            string Field(string name) => index.TryGetValue(name, out var at) && csv.FieldCount > at ? csv.GetString(at).Trim() : "";
            string? Optional(string name) => Field(name) is { Length: > 0 } text ? text : null;
            var lineErrors = errors.Count;
            var typeCode = "";
            try
            {
                typeCode = InvoiceTypeDefinition.NormalizeCode(Field("type"), "type");
            }
            catch (DomainException exception)
            {
                errors.Add(new FileError(fileName, line, "type", exception.Message));
            }

            long? customerId = null;
            if (Optional("customer_id") is { } idText)
            {
                if (long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
                {
                    customerId = id;
                }
                else
                {
                    errors.Add(new FileError(fileName, line, "customer_id", $"'{idText}' is not a customer number"));
                }
            }

            var kind = CustomerKind.Person;
            if (Optional("kind") is { } kindText && !Enum.TryParse(kindText, ignoreCase: true, out kind))
            {
                errors.Add(new FileError(fileName, line, "kind", $"'{kindText}' is not person or business"));
            }

            DateOnly? birthDate = null;
            if (Optional("birth_date") is { } bornText)
            {
                if (IsoDate.TryParse(bornText, out var born))
                {
                    birthDate = born;
                }
                else
                {
                    errors.Add(new FileError(fileName, line, "birth_date", $"'{bornText}' is not a date (YYYY-MM-DD)"));
                }
            }

            var quantity = 1m;
            if (Optional("quantity") is { } quantityText && !decimal.TryParse(quantityText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out quantity))
            {
                errors.Add(new FileError(fileName, line, "quantity", $"'{quantityText}' is not a quantity"));
            }

            var priceText = Field("unit_price").TrimStart('$').Replace(",", "", StringComparison.Ordinal);
            if (!decimal.TryParse(priceText, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var price))
            {
                errors.Add(new FileError(fileName, line, "unit_price", $"'{Field("unit_price")}' is not an amount in dollars and cents"));
            }

            if (errors.Count > lineErrors)
            {
                continue;
            }

            var party = new ApplyingCustomer(kind, Field("name"), birthDate, null, Optional("identity_number"), Optional("phone"), Optional("email"),
                Field("line1"), Field("city"), Field("state"), Field("zip"));
            var partyText = string.Join('\u0001', Field("customer_id"), Field("kind"), Field("name"), Field("line1"), Field("city"), Field("state"), Field("zip"),
                Field("email"), Field("phone"), Field("identity_number"), Field("birth_date"));
            rows.Add(new ParsedRow(line, typeCode, Optional("reference"), customerId, party, partyText, Optional("parcel_id"), Optional("note"),
                new InvoiceLine(Field("description"), quantity, price)));
        }

        if (rows.Count == 0 && errors.Count == 0)
        {
            errors.Add(new FileError(fileName, 2, "file", "the file has a header but no invoice lines"));
        }

        return (rows, errors);
    }
}
