using System.Collections.Immutable;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;

namespace OpenCIS.Core.Invoices;

/// <summary>
/// A kind of city receivable billed by invoice rather than by meter (EMS transport, false alarm, permit and inspection
/// fees, code enforcement, damage to city property, rental registration), kept as data: the revenue account its charges
/// credit (the chart places it in a fund and department), its payment terms, and how often an open invoice is
/// restated to the party (EMS patients get statements every 30 days; none: the invoice stands alone), and the account
/// its allowances are charged to: payers' contractual adjustments and hardship waivers (none: the type takes neither);
/// and the code of the collection policy its invoices follow, for their late charge and notices (<see cref="InvoiceCollections"/>;
/// none: neither).
/// </summary>
public sealed record InvoiceTypeDefinition(string Code, string Name, string RevenueGlAccount, int TermsDays, int? StatementEveryDays, bool Active, string? AllowanceGlAccount = null,
    string? CollectionPolicy = null)
{
    public const int PolicyCodeLengthMax = 40;

    public const int NameLengthMax = 60;
    public const int CodeLengthMax = 20;
    public const int TermsDaysMax = 365;

    /// <summary>
    /// The type as it may be kept: a code of letters, digits, '-' or '_' (in capitals), a name, a revenue account of
    /// the chart that no posting rule uses for anything else, terms of 0 to 365 days, and statements every 7 to 365 days or none.
    /// </summary>
    public static InvoiceTypeDefinition Create(string? code, string? name, string? revenueGlAccount, int termsDays, int? statementEveryDays, bool active, ChartOfAccounts chart,
        string? allowanceGlAccount = null, string? collectionPolicy = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var normalized = NormalizeCode(code);
        var trimmedName = name?.Trim() ?? "";
        if (trimmedName.Length is 0 or > NameLengthMax)
        {
            throw new DomainException($"Invoice type {normalized} needs a name of at most {NameLengthMax} characters.", "name");
        }

        var gl = revenueGlAccount?.Trim() ?? "";
        if (!chart.Contains(gl))
        {
            throw new DomainException($"GL account '{gl}' is not in the chart of accounts; add it (with its fund) first.", "revenueGlAccount");
        }

        if (ChartOfAccounts.PostingAccounts.Contains(gl))
        {
            throw new DomainException($"GL account {gl} ({chart.NameOf(gl)}) belongs to the posting rules; an invoice type credits a revenue account of its own.", "revenueGlAccount");
        }

        if (termsDays is < 0 or > TermsDaysMax)
        {
            throw new DomainException($"Payment terms are 0 to {TermsDaysMax} days; {termsDays} is not.", "termsDays");
        }

        if (statementEveryDays is < 7 or > 365)
        {
            throw new DomainException($"Statements go out every 7 to 365 days (or never); {statementEveryDays} is not.", "statementEveryDays");
        }

        var allowance = string.IsNullOrWhiteSpace(allowanceGlAccount) ? null : allowanceGlAccount.Trim();
        if (allowance is not null)
        {
            if (!chart.Contains(allowance))
            {
                throw new DomainException($"GL account '{allowance}' is not in the chart of accounts; add it (with its fund) first.", "allowanceGlAccount");
            }

            if (ChartOfAccounts.PostingAccounts.Contains(allowance))
            {
                throw new DomainException($"GL account {allowance} ({chart.NameOf(allowance)}) belongs to the posting rules; allowances are charged to an account of their own.", "allowanceGlAccount");
            }

            if (allowance == gl)
            {
                throw new DomainException($"Allowances are kept apart from the revenue they reduce: choose an account other than {gl}.", "allowanceGlAccount");
            }
        }

        var policy = string.IsNullOrWhiteSpace(collectionPolicy) ? null : collectionPolicy.Trim().ToUpperInvariant();
        if (policy is { Length: > PolicyCodeLengthMax })
        {
            throw new DomainException($"A collection policy code is at most {PolicyCodeLengthMax} characters.", "collectionPolicy");
        }

        return new InvoiceTypeDefinition(normalized, trimmedName, gl, termsDays, statementEveryDays, active, allowance, policy);
    }

    /// <summary>The account the type's contractual adjustments and waivers are charged to; refused when the type has none.</summary>
    public string AllowanceAccountOrRefuse(string what) => AllowanceGlAccount
        ?? throw new DomainException($"Invoice type {Code} ({Name}) has no allowance account, so its invoices take no {what}; a Supervisor sets one on the invoice types page.", "invoiceNumber");

    /// <summary>The code in capitals; a blank, too long or oddly written code is refused under <paramref name="field"/>.</summary>
    public static string NormalizeCode(string? code, string field = "code")
    {
        var trimmed = code?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw new DomainException("An invoice type needs a code (EMS, ALARM, PERMIT).", field);
        }

        if (trimmed.Length > CodeLengthMax || !trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new DomainException($"An invoice type code is 1 to {CodeLengthMax} letters, digits, '-' or '_'; '{trimmed}' is not.", field);
        }

        return trimmed.ToUpperInvariant();
    }

    /// <summary>The day an invoice issued on <paramref name="issuedOn"/> falls due.</summary>
    public DateOnly DueOn(DateOnly issuedOn) => issuedOn.AddDays(TermsDays);
}

/// <summary>One charge of an invoice: what it is for, how many, at what price; its amount rounds half away from zero to the cent.</summary>
public sealed record InvoiceLine(string Description, decimal Quantity, decimal UnitPrice)
{
    public const int DescriptionLengthMax = 120;
    public const decimal QuantityMax = 1_000_000m;

    public Money Amount => Money.Round(Quantity * UnitPrice);

    /// <summary>"2 x $15.00 = $30.00", or just the amount for a quantity of one.</summary>
    public string Trace => Quantity == 1m
        ? Amount.ToString()
        : $"{Quantity.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)} x {UnitPrice.ToString("$#,##0.00##", System.Globalization.CultureInfo.InvariantCulture)} = {Amount}";
}

/// <summary>
/// What an invoice asks of a party before it is posted: its type, the lines, the other system's reference (an EMS run
/// number, a permit number) and the parcel a code-enforcement charge was for. <see cref="Create"/> checks it whole.
/// </summary>
public sealed record InvoiceDraft(string TypeCode, ImmutableArray<InvoiceLine> Lines, string? Reference, string? ParcelId, string? Note)
{
    public const int LinesMax = 50;
    public const int ReferenceLengthMax = 40;
    public const int NoteLengthMax = 500;

    /// <summary>The most one invoice may ask: what a scan line can carry.</summary>
    public static readonly Money TotalMax = Money.FromCents(9_999_999_999);

    public Money Total => Money.Sum(Lines.Select(l => l.Amount));

    /// <summary>The draft checked line by line; each refusal names its field (<c>lines[2].unitPrice</c>).</summary>
    public static InvoiceDraft Create(string? typeCode, IReadOnlyList<InvoiceLine> lines, string? reference, string? parcelId, string? note)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var code = InvoiceTypeDefinition.NormalizeCode(typeCode, "type");
        if (lines.Count == 0)
        {
            throw new DomainException("An invoice needs at least one line: what it charges for and the amount.", "lines");
        }

        if (lines.Count > LinesMax)
        {
            throw new DomainException($"An invoice has at most {LinesMax} lines; this one has {lines.Count}.", "lines");
        }

        var checkedLines = ImmutableArray.CreateBuilder<InvoiceLine>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var description = line.Description?.Trim() ?? "";
            if (description.Length is 0 or > InvoiceLine.DescriptionLengthMax)
            {
                throw new DomainException($"Line {i + 1} needs a description of at most {InvoiceLine.DescriptionLengthMax} characters.", $"lines[{i}].description");
            }

            if (line.Quantity <= 0 || line.Quantity > InvoiceLine.QuantityMax)
            {
                throw new DomainException($"Line {i + 1}'s quantity must be above zero and at most {InvoiceLine.QuantityMax:#,##0}; {line.Quantity} is not.", $"lines[{i}].quantity");
            }

            if (line.UnitPrice <= 0 || decimal.Round(line.UnitPrice, 4) != line.UnitPrice)
            {
                throw new DomainException($"Line {i + 1}'s price must be above zero, to at most four decimals; {line.UnitPrice} is not.", $"lines[{i}].unitPrice");
            }

            var checkedLine = line with { Description = description };
            if (checkedLine.Amount.Cents <= 0)
            {
                throw new DomainException($"Line {i + 1} comes to {checkedLine.Amount}; a line must charge at least a cent.", $"lines[{i}].quantity");
            }

            checkedLines.Add(checkedLine);
        }

        var draft = new InvoiceDraft(code, checkedLines.MoveToImmutable(), Trimmed(reference, ReferenceLengthMax, "reference", "The reference"),
            Trimmed(parcelId, 40, "parcelId", "The parcel id"), Trimmed(note, NoteLengthMax, "note", "The note"));
        if (draft.Total > TotalMax)
        {
            throw new DomainException($"An invoice can ask at most {TotalMax}; this one totals {draft.Total}.", "lines");
        }

        return draft;
    }

    private static string? Trimmed(string? text, int max, string field, string what)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        return trimmed.Length <= max ? trimmed : throw new DomainException($"{what} can be at most {max} characters.", field);
    }
}

/// <summary>Where an invoice stands, from its open amount and due date.</summary>
public enum InvoiceStanding
{
    Open,
    PastDue,
    PartlyPaid,
    Paid,
}

public static class InvoiceStandings
{
    /// <summary>Paid when nothing is open; otherwise past due after its due date (partly paid or not), partly paid when something came in, else open.</summary>
    public static InvoiceStanding Of(Money amount, Money open, DateOnly dueOn, DateOnly today) =>
        open.Cents <= 0 ? InvoiceStanding.Paid
        : today > dueOn ? InvoiceStanding.PastDue
        : open < amount ? InvoiceStanding.PartlyPaid
        : InvoiceStanding.Open;
}
