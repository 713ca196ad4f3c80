using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Invoices;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Invoices;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Encryption;
using OpenCIS.UseCases.Invoices;
using OpenCIS.UseCases.Payments;

namespace OpenCIS.UseCases.Demo;

/// <summary>
/// Riverbend's city receivables billed by invoice: the types (each with a revenue account added to the chart) and a few
/// invoices posted through the real invoice posting and paid through the payment poster: an ambulance transport and a
/// weed abatement past due, a false alarm paid, a damage claim partly paid, a permit and a rental registration open.
/// The types but EMS name the receivables collection policy, so the weed abatement has had its reminder, its late charge
/// and its final notice by the demo's today.
/// </summary>
public static class DemoInvoices
{
    public const string Ems = "EMS", Alarm = "ALARM", Permit = "PERMIT", Weed = "WEED", BoardUp = "BOARDUP", Demolition = "DEMOLITION", Damage = "DAMAGE", Rental = "RENTAL";

    /// <summary>The planted invoices by number; the weed invoice is billed to a utility customer on file, for the parcel of their premise.</summary>
    public sealed record Plants(long PastDueEms, long PaidAlarm, long OpenPermit, long PastDueWeed, long PartlyPaidDamage, long OpenRental, long WeedCustomerId)
    {
        /// <summary>The EMS plants: a Medicare remittance leaving the patient's coinsurance, Medicaid paid in full, a waiver waiting and one approved.</summary>
        public EmsPlants? Ems { get; init; }
    }

    public sealed record EmsPlants(long MedicareInvoice, long MedicaidInvoice, long WaitingWaiverInvoice, long WaitingWaiverId, long WaivedInvoice, int Statements);

    /// <summary>The workflows the EMS plants go through: the same the screens call.</summary>
    public sealed record EmsWork(PostRemittance Remittances, InvoiceWaivers Waivers, InvoiceStatements Statements);

    /// <summary>Who asks for the demo's waivers and who approves them: two people, as the rule wants.</summary>
    public const string WaiverClerk = "clerk", WaiverSupervisor = "supervisor";

    private static readonly GlAccountRow[] Revenue =
    [
        new() { Code = "4810", Name = "Ambulance transport fees", FundCode = "10", FundName = "General", Department = "2310" },
        new() { Code = "4815", Name = "Ambulance contractual allowances and waivers", FundCode = "10", FundName = "General", Department = "2310" },
        new() { Code = "4820", Name = "False alarm fees", FundCode = "10", FundName = "General", Department = "2110" },
        new() { Code = "4830", Name = "Permit and inspection fees", FundCode = "10", FundName = "General", Department = "2410" },
        new() { Code = "4840", Name = "Code enforcement abatement", FundCode = "10", FundName = "General", Department = "2210" },
        new() { Code = "4850", Name = "Damage to city property", FundCode = "10", FundName = "General", Department = "1610" },
        new() { Code = "4860", Name = "Rental registration fees", FundCode = "10", FundName = "General", Department = "2420" },
    ];

    public static IEnumerable<InvoiceTypeDefinition> Types() =>
    [
        new(Ems, "Ambulance transport (EMS)", "4810", 30, 30, true, "4815"),
        new(Alarm, "False alarm response", "4820", 30, null, true, CollectionPolicy: DemoCollections.ReceivablesPolicyCode),
        new(Permit, "Permit and inspection fees", "4830", 30, null, true, CollectionPolicy: DemoCollections.ReceivablesPolicyCode),
        new(Weed, "Weed abatement", "4840", 21, null, true, CollectionPolicy: DemoCollections.ReceivablesPolicyCode),
        new(BoardUp, "Board-up of a vacant structure", "4840", 21, null, true, CollectionPolicy: DemoCollections.ReceivablesPolicyCode),
        new(Demolition, "Demolition of an unsafe structure", "4840", 30, 30, true, CollectionPolicy: DemoCollections.ReceivablesPolicyCode),
        new(Damage, "Damage to city property", "4850", 30, null, true, CollectionPolicy: DemoCollections.ReceivablesPolicyCode),
        new(Rental, "Rental registration", "4860", 30, null, true, CollectionPolicy: DemoCollections.ReceivablesPolicyCode),
    ];

    /// <summary>The revenue accounts and the eight types, those not there yet (a benchmark adds them to a city seeded before invoices).</summary>
    public static async Task EnsureTypesAsync(OpenCisDbContext db, string user, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var chart = await db.GlAccounts.Select(a => a.Code).ToListAsync(cancellationToken);
        db.GlAccounts.AddRange(Revenue.Where(r => !chart.Contains(r.Code)));
        var present = await db.InvoiceTypes.Select(t => t.Code).ToListAsync(cancellationToken);
        foreach (var type in Types().Where(t => !present.Contains(t.Code)))
        {
            var row = new InvoiceTypeRow { Code = type.Code };
            row.Apply(type, user, at);
            db.InvoiceTypes.Add(row);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The types and the planted invoices, issued in the weeks before <paramref name="through"/>; the weed invoice to <paramref name="weedCustomerId"/>.</summary>
    /// <param name="ems">Given, the EMS plants too: statements written day by day through yesterday, then remittances and waivers today.</param>
    public static async Task<Plants> SeedAsync(OpenCisDbContext db, PaymentBatchPoster poster, FieldProtector protector, long weedCustomerId, DateOnly through, string user,
        DateTimeOffset at, CancellationToken cancellationToken, EmsWork? ems = null)
    {
        await EnsureTypesAsync(db, user, at, cancellationToken);
        var types = Types().ToDictionary(t => t.Code);

        async Task<(long Number, long AccountId)> InvoiceAsync(long? customerId, ApplyingCustomer? party, string type, DateOnly issuedOn, string? reference, string? parcel, string? note,
            params InvoiceLine[] lines)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var customer = await Parties.ResolveAsync(db, protector, customerId, party, at, cancellationToken);
            if (customer.Id == 0)
            {
                await db.SaveChangesAsync(cancellationToken);
            }

            var account = await Parties.ReceivablesAccountAsync(db, customer, issuedOn, cancellationToken);
            var draft = InvoiceDraft.Create(type, lines, reference, parcel, note);
            var invoice = await CreateInvoice.PostAsync(db, account, customer.Id, types[type], draft, issuedOn, user, at, CreateInvoice.ScreenSource, null, null, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            CreateInvoice.Audit(db, invoice, user, at);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return (invoice.Id, account.Id);
        }

        static ApplyingCustomer Person(string name, string line1, DateOnly? born = null) =>
            new(CustomerKind.Person, name, born, null, null, null, null, line1, "Riverbend", "OR", "97401");
        static ApplyingCustomer Business(string name, string line1, string taxId) =>
            new(CustomerKind.Business, name, null, IdentityNumberKind.TaxId, taxId, null, null, line1, "Riverbend", "OR", "97402");

        var emsInvoice = await InvoiceAsync(null, Person("Harold Whitcomb", "418 Alder Court", new DateOnly(1951, 3, 14)), Ems, through.AddDays(-75), "RUN-26-04417", null,
            "Medicare and supplemental insurance billed first; this is the patient's share.",
            new InvoiceLine("ALS emergency transport, level 1", 1m, 1_150m), new InvoiceLine("Ground mileage", 7.4m, 18.50m));
        var alarm = await InvoiceAsync(null, Business("Riverbend Storage LLC", "800 Industrial Way", "93-1234567"), Alarm, through.AddDays(-50), "ALM-26-0311", null, null,
            new InvoiceLine("False alarm response (third in 12 months)", 1m, 150m));
        var permit = await InvoiceAsync(null, Business("Cascade Builders Inc", "55 Mill Street", "93-7654321"), Permit, through.AddDays(-5), "BP-26-1182", null, null,
            new InvoiceLine("Residential building permit", 1m, 640m), new InvoiceLine("Plan review", 1m, 416m), new InvoiceLine("Re-inspection", 2m, 85m));
        var parcel = await (from ac in db.AccountCustomers
                            where ac.CustomerId == weedCustomerId
                            join a in db.Accounts on ac.AccountId equals a.Id
                            join p in db.Premises on a.PremiseId equals (long?)p.Id
                            orderby a.Id
                            select p.ParcelId).FirstOrDefaultAsync(cancellationToken);
        var weed = await InvoiceAsync(weedCustomerId, null, Weed, through.AddDays(-45), "CE-26-0907", parcel, "Abated after the notice of violation went unanswered for 10 days.",
            new InvoiceLine("Mowing and clearing (crew hours)", 3m, 65m), new InvoiceLine("Debris hauling", 1m, 120m), new InvoiceLine("Administrative fee", 1m, 50m));
        var damage = await InvoiceAsync(null, Person("Tyler Brandt", "27 Birch Lane"), Damage, through.AddDays(-10), "CLM-26-0058", null, null,
            new InvoiceLine("Street light pole replaced (vehicle collision)", 1m, 2_380m), new InvoiceLine("Traffic control, 4 hours", 4m, 55m));
        var rental = await InvoiceAsync(null, Business("Oakview Rentals LLC", "1200 Oak Avenue", "93-5551234"), Rental, through.AddDays(-3), "RR-2027-0142", null, null,
            new InvoiceLine("Rental registration, per unit", 12m, 45m));

        await poster.PostAsync(
        [
            new PaymentInstruction(alarm.AccountId, Money.FromCents(15_000), through.AddDays(-30), Tender.Check, PaymentSource.Mail, "4471"),
            new PaymentInstruction(damage.AccountId, Money.FromCents(50_000), through.AddDays(-2), Tender.Card, PaymentSource.Counter, null),
        ], user, cancellationToken);
        db.ChangeTracker.Clear();
        var plants = new Plants(emsInvoice.Number, alarm.Number, permit.Number, weed.Number, damage.Number, rental.Number, weedCustomerId);
        if (ems is null)
        {
            return plants;
        }

        var medicare = await InvoiceAsync(null, Person("Maria Delgado", "62 Heron Street", new DateOnly(1948, 9, 2)) with { Email = "maria.delgado@riverbend.example" }, Ems,
            through.AddDays(-40), "RUN-26-04630", null, "Medicare Part B billed; the patient's coinsurance follows.",
            new InvoiceLine("BLS emergency transport", 1m, 1_050m), new InvoiceLine("Ground mileage", 12.6m, 18.50m));
        var medicaid = await InvoiceAsync(null, Person("Dale Ostrowski", "9 Cedar Row", new DateOnly(1990, 1, 22)), Ems, through.AddDays(-20), "RUN-26-04791", null, null,
            new InvoiceLine("BLS non-emergency transport", 1m, 825m), new InvoiceLine("Ground mileage", 4.2m, 18.50m));
        var hardship = await InvoiceAsync(null, Person("Rosa Lindqvist", "310 Willow Street", new DateOnly(1979, 6, 5)), Ems, through.AddDays(-100), "RUN-26-03902", null, null,
            new InvoiceLine("ALS emergency transport, level 1", 1m, 1_150m), new InvoiceLine("Ground mileage", 3.1m, 18.50m));
        var waived = await InvoiceAsync(null, Person("Walter Keene", "77 Spruce Court", new DateOnly(1944, 11, 30)), Ems, through.AddDays(-35), "RUN-26-04688", null, null,
            new InvoiceLine("BLS emergency transport", 1m, 1_050m));

        // Maria Delgado takes her notices by e-mail: her statement is e-mailed with its PDF, the others go in the day's print file.
        var maria = await db.Invoices.Where(i => i.Id == medicare.Number).Select(i => i.CustomerId).SingleAsync(cancellationToken);
        (await db.Customers.SingleAsync(c => c.Id == maria, cancellationToken)).ChooseNoticeDelivery(true);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();

        // The statement cycle as the daily run keeps it: every day of the last hundred, through yesterday.
        var statements = 0;
        for (var day = through.AddDays(-100); day < through; day = day.AddDays(1))
        {
            var produced = await ems.Statements.ProduceAsync(day, user, cancellationToken);
            statements += produced.Created - produced.Notices;
        }

        // Today's post: Medicare's remittance (80% of its allowed amount; the rest of the charge is its contractual adjustment),
        // Medicaid's (payment in full), a waiver approved and another waiting.
        await ems.Remittances.ExecuteAsync(new RemittanceRequest(medicare.Number, PayerKind.Medicare, null, "MCR-2611-0048817", Money.FromCents(41_218), Money.FromCents(76_848),
            Tender.Ach, "EFT 0009911827"), user, cancellationToken);
        await ems.Remittances.ExecuteAsync(new RemittanceRequest(medicaid.Number, PayerKind.Medicaid, "Oregon Health Plan", "OHP-26-7781043", Money.FromCents(31_050), null,
            Tender.Check, "771045"), user, cancellationToken);
        var approved = await ems.Waivers.RequestAsync(waived.Number, null, "Fixed income below 150% of the federal poverty guideline; SSA award letter on file.", WaiverClerk, cancellationToken);
        await ems.Waivers.DecideAsync(approved.Waiver.Id, true, "Meets the hardship policy.", WaiverSupervisor, cancellationToken);
        var waiting = await ems.Waivers.RequestAsync(hardship.Number, Money.FromCents(60_000), "Uninsured; lost work in August. Pay stubs and termination letter on file.",
            WaiverClerk, cancellationToken);
        db.ChangeTracker.Clear();
        return plants with { Ems = new EmsPlants(medicare.Number, medicaid.Number, hardship.Number, waiting.Waiver.Id, waived.Number, statements) };
    }
}
