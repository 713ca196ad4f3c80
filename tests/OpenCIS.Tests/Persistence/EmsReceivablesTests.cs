using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Invoices;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Invoices;
using OpenCIS.UseCases.Ledger;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Reports;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// An ambulance bill on each database, as the billing office works it: statements at 30, 60 and the final notice at 90
/// days (e-mailed to a patient who takes notices by e-mail, printed for the rest, never twice), Medicare's remittance
/// with its contractual adjustment, the patient's coinsurance waived for hardship once a Supervisor approves, Medicaid's
/// payment in full, and the books tying out after each.
/// </summary>
public sealed class EmsReceivablesTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_ems_invoice_goes_through_statements_a_medicare_remittance_with_its_contractual_adjustment_and_a_hardship_waiver(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "ems");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var ledger = scope.ServiceProvider.GetRequiredService<ConfigureLedger>();
        await ledger.SaveAccountAsync(new GlAccountDefinition("4810", "Ambulance transport fees", "10", "General", "2310"), "admin");
        await ledger.SaveAccountAsync(new GlAccountDefinition("4815", "Ambulance contractual allowances", "10", "General", "2310"), "admin");
        var types = scope.ServiceProvider.GetRequiredService<InvoiceTypes>();
        Assert.Equal("allowanceGlAccount", (await Assert.ThrowsAsync<DomainException>(() => types.SaveAsync("EMS", "Ambulance", "4810", 30, 30, true, "admin", default, "4810"))).Field);
        Assert.Equal("allowanceGlAccount", (await Assert.ThrowsAsync<DomainException>(() => types.SaveAsync("EMS", "Ambulance", "4810", 30, 30, true, "admin", default, GlAccounts.BillingAdjustments))).Field);
        await types.SaveAsync("EMS", "Ambulance transport", "4810", 30, 30, true, "admin", default, "4815");

        var create = scope.ServiceProvider.GetRequiredService<CreateInvoice>();
        static ApplyingCustomer Patient(string name, string line1, string? email = null) =>
            new(CustomerKind.Person, name, new DateOnly(1950, 5, 5), null, null, null, email, line1, "Riverbend", "OR", "97401");
        var transport = await create.ExecuteAsync(new CreateInvoiceRequest(null, Patient("Ada Quinn", "5 Lark Lane", "ada@example.org"), "EMS",
            [new InvoiceLine("ALS emergency transport, level 1", 1m, 1_150m), new InvoiceLine("Ground mileage", 7.4m, 18.50m)], "RUN-1"), "clerk");
        var other = await create.ExecuteAsync(new CreateInvoiceRequest(null, Patient("Ben Ortiz", "8 Finch Road"), "EMS",
            [new InvoiceLine("BLS non-emergency transport", 1m, 825m)], "RUN-2"), "clerk");
        var invoice = transport.Invoice;
        Assert.Equal(1_286.90m, invoice.Amount.Dollars);
        var ada = await db.Customers.SingleAsync(c => c.Id == invoice.CustomerId);
        ada.ChooseNoticeDelivery(true);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        // Nothing is due before a cycle has passed; at 30 days the first statement, e-mailed to Ada with its PDF, printed for Ben.
        var statements = scope.ServiceProvider.GetRequiredService<InvoiceStatements>();
        var issued = invoice.IssuedOn;
        Assert.Equal(0, (await statements.ProduceAsync(issued.AddDays(29), "system")).Created);
        var first = await statements.ProduceAsync(issued.AddDays(30), "system");
        Assert.Equal((2, 1, 1), (first.Created, first.Mailed, first.Emailed));
        Assert.Equal(0, (await statements.ProduceAsync(issued.AddDays(30), "system")).Created);
        var mail = await db.OutgoingMail.AsNoTracking().Include(m => m.Attachments).SingleAsync(m => m.Kind == InvoiceStatements.MailKind);
        Assert.Equal(("ada@example.org", $"invoice-statement:{invoice.Number}:1"), (mail.ToAddress, mail.DedupeKey));
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(Assert.Single(mail.Attachments).Content, 0, 4), StringComparison.Ordinal);
        var print = await statements.PrintFileAsync(issued.AddDays(30));
        Assert.NotNull(print);

        // Medicare pays 80% of its allowed amount; the charge above the allowed amount is its contractual adjustment. A retry posts nothing.
        var remit = scope.ServiceProvider.GetRequiredService<PostRemittance>();
        var request = new RemittanceRequest(invoice.Number, PayerKind.Medicare, null, "MCR-77", Money.FromCents(41_218), Money.FromCents(77_478), Tender.Ach, "EFT 991", "mcr-77");
        var medicare = await remit.ExecuteAsync(request, "clerk");
        Assert.True((await remit.ExecuteAsync(request, "clerk")).AlreadyPosted);
        Assert.Equal((412.18m, 774.78m, 99.94m), (medicare.Remittance.Paid.Dollars, medicare.Remittance.ContractualAdjustment.Dollars, medicare.Remittance.PatientResponsibility.Dollars));
        Assert.Equal("Idempotency-Key", (await Assert.ThrowsAsync<DomainException>(() => remit.ExecuteAsync(request with { ClaimNumber = "MCR-78" }, "clerk"))).Field);
        Assert.Equal("contractualAdjustment", (await Assert.ThrowsAsync<DomainException>(() =>
            remit.ExecuteAsync(new RemittanceRequest(invoice.Number, PayerKind.Insurance, "Acme Health", "AH-1", Money.FromCents(5_000), Money.FromCents(5_000), Tender.Check, "12"), "clerk"))).Field);
        var queries = scope.ServiceProvider.GetRequiredService<InvoiceQueries>();
        Assert.Equal(99.94m, (await queries.FindAsync(invoice.Number))!.Open.Dollars);
        var accountId = await db.Accounts.Where(a => a.AccountNumber == invoice.AccountNumber).Select(a => a.Id).SingleAsync();
        var payment = await db.Payments.AsNoTracking().SingleAsync(p => p.AccountId == accountId);
        Assert.Equal((PaymentSource.Insurer, Tender.Ach, 41_218L), (payment.Source, payment.Tender, payment.AmountCents));
        var adjustment = await db.FinancialTransactions.AsNoTracking().Include(t => t.GlEntries).SingleAsync(t => t.Id == medicare.Remittance.AdjustmentTransactionId);
        Assert.Equal(FinancialTransactionType.ContractualAdjustment, adjustment.Type);
        Assert.Equal([("1200", 0L, 77_478L), ("4815", 77_478L, 0L)], adjustment.GlEntries.OrderBy(g => g.GlAccount).Select(g => (g.GlAccount, g.DebitCents, g.CreditCents)).ToArray());
        var activity = await queries.ActivityAsync(invoice.Number);
        Assert.Equal([(FinancialTransactionType.Payment, -412.18m), (FinancialTransactionType.ContractualAdjustment, -774.78m)], activity.Select(a => (a.Type, a.Amount.Dollars)).ToArray());

        // The second statement restates what the patient owes after Medicare, with Medicare's lines on it.
        var second = await statements.ProduceAsync(issued.AddDays(60), "system");
        Assert.Equal(2, second.Created);
        var adaSecond = (await statements.ListAsync(issued.AddDays(60))).Single(s => s.InvoiceNumber == invoice.Number);
        Assert.Equal((2, "SECOND STATEMENT", 99.94m), (adaSecond.Sequence, adaSecond.Heading, adaSecond.Open.Dollars));
        Assert.NotNull(await statements.PdfAsync(adaSecond.Id));

        // The coinsurance waived for hardship: asked by a clerk, not by the same person approved, then approved by a Supervisor.
        var waivers = scope.ServiceProvider.GetRequiredService<InvoiceWaivers>();
        Assert.Equal("reason", (await Assert.ThrowsAsync<DomainException>(() => waivers.RequestAsync(invoice.Number, null, " ", "clerk"))).Field);
        Assert.Equal("amount", (await Assert.ThrowsAsync<DomainException>(() => waivers.RequestAsync(invoice.Number, Money.FromCents(10_000), "Too much", "clerk"))).Field);
        var asked = await waivers.RequestAsync(invoice.Number, null, "Income below 150% of the poverty guideline; letter on file", "clerk");
        Assert.True((await waivers.RequestAsync(invoice.Number, null, "Income below 150% of the poverty guideline; letter on file", "clerk")).AlreadyDone);
        Assert.Equal((WaiverStatus.Pending, 99.94m), (asked.Waiver.Status, asked.Waiver.Amount.Dollars));
        Assert.Equal(99.94m, (await queries.FindAsync(invoice.Number))!.Open.Dollars);

        // While the waiver waits, the final notice is held; Ben's goes out.
        var held = await statements.ProduceAsync(issued.AddDays(90), "system");
        Assert.Equal((1, 1), (held.Created, held.HeldForWaiver));
        Assert.Equal("decision", (await Assert.ThrowsAsync<DomainException>(() => waivers.DecideAsync(asked.Waiver.Id, true, null, "clerk"))).Field);
        var approved = await waivers.DecideAsync(asked.Waiver.Id, true, "Meets the policy", "supervisor");
        Assert.Equal((WaiverStatus.Approved, 99.94m), (approved.Waiver.Status, approved.Waiver.Posted!.Value.Dollars));
        Assert.True((await waivers.DecideAsync(asked.Waiver.Id, true, "Meets the policy", "supervisor")).AlreadyDone);
        Assert.Equal("decision", (await Assert.ThrowsAsync<DomainException>(() => waivers.DecideAsync(asked.Waiver.Id, false, "Changed my mind", "admin"))).Field);
        var paid = (await queries.FindAsync(invoice.Number))!;
        Assert.Equal((0m, InvoiceStanding.Paid), (paid.Open.Dollars, paid.Standing));
        Assert.Equal(0, (await statements.ProduceAsync(issued.AddDays(95), "system")).Created);
        Assert.Equal(1, await db.FinancialTransactions.CountAsync(t => t.Type == FinancialTransactionType.HardshipWaiver));

        // Medicaid pays Ben's in full: its adjustment is the rest, and leaving the patient a balance is refused.
        Assert.Equal("contractualAdjustment", (await Assert.ThrowsAsync<DomainException>(() => remit.ExecuteAsync(
            new RemittanceRequest(other.Invoice.Number, PayerKind.Medicaid, null, "OHP-1", Money.FromCents(31_050), Money.FromCents(10_000), Tender.Check, "771"), "clerk"))).Field);
        var medicaid = await remit.ExecuteAsync(new RemittanceRequest(other.Invoice.Number, PayerKind.Medicaid, "Oregon Health Plan", "OHP-1", Money.FromCents(31_050), null, Tender.Check, "771"), "clerk");
        Assert.Equal((310.50m, 514.50m, 0m, "Medicaid (Oregon Health Plan)"), (medicaid.Remittance.Paid.Dollars, medicaid.Remittance.ContractualAdjustment.Dollars,
            medicaid.Remittance.PatientResponsibility.Dollars, medicaid.Remittance.Payer));
        Assert.Equal(InvoiceStanding.Paid, (await queries.FindAsync(other.Invoice.Number))!.Standing);

        // A rejected waiver posts nothing; a type without an allowance account takes no waiver.
        await ledger.SaveAccountAsync(new GlAccountDefinition("4820", "False alarm fees", "10", "General", "2110"), "admin");
        await types.SaveAsync("ALARM", "False alarm", "4820", 30, null, true, "admin");
        var alarm = await create.ExecuteAsync(new CreateInvoiceRequest(invoice.CustomerId, null, "ALARM", [new InvoiceLine("False alarm response", 1m, 150m)]), "clerk");
        Assert.Equal("invoiceNumber", (await Assert.ThrowsAsync<DomainException>(() => waivers.RequestAsync(alarm.Invoice.Number, null, "Hardship", "clerk"))).Field);

        var trial = await new LedgerReports(db).TrialBalanceAsync();
        Assert.True(trial.Balances && trial.TiesToSubLedger, "the trial balance must balance and tie to the sub-ledger");
        Assert.Equal(-(1_286.90m + 825m), trial.Rows.Single(r => r.GlAccount == "4810").Balance.Dollars);
        Assert.Equal(774.78m + 99.94m + 514.50m, trial.Rows.Single(r => r.GlAccount == "4815").Balance.Dollars);
        Assert.Equal(2, await db.InvoiceRemittances.CountAsync());
        Assert.Equal(4, await db.AuditEntries.CountAsync(a => a.EntityType == "InvoiceRemittance" || a.EntityType == "InvoiceWaiver"));
    }
}
