using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Bankruptcy;
using OpenCIS.Core.Common;
using OpenCIS.Core.Invoices;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Bankruptcy;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Invoices;
using OpenCIS.UseCases.Ledger;
using OpenCIS.UseCases.Receivables;
using OpenCIS.UseCases.Reports;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// Two bankruptcies on each database, as the collections office works them: one entered, stayed, paid by its Chapter 13
/// trustee and discharged; another paid once and dismissed, its pre-petition balance back on the account. The claim is
/// tracked to the cent in the bankruptcy receivable (GL 1260) and the books tie out after each step.
/// </summary>
public sealed class BankruptcyWorkflowTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_case_is_entered_stayed_paid_by_the_trustee_and_discharged_and_another_is_dismissed_with_the_claim_tracked_to_the_cent(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "bankruptcy");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        await scope.ServiceProvider.GetRequiredService<ConfigureLedger>().SaveAccountAsync(new GlAccountDefinition("4840", "Code enforcement fees", "10", "General", "2110"), "admin");
        await scope.ServiceProvider.GetRequiredService<InvoiceTypes>().SaveAsync("CODE", "Code enforcement", "4840", 30, null, true, "admin");
        var create = scope.ServiceProvider.GetRequiredService<CreateInvoice>();
        static ApplyingCustomer Party(string name, string line1) => new(CustomerKind.Person, name, new DateOnly(1970, 3, 3), null, null, null, null, line1, "Riverbend", "OR", "97401");
        var weeds = await create.ExecuteAsync(new CreateInvoiceRequest(null, Party("Ada Quinn", "5 Lark Lane"), "CODE", [new InvoiceLine("Weed abatement", 1m, 700m)]), "clerk");
        var adaId = weeds.Invoice.CustomerId;
        await create.ExecuteAsync(new CreateInvoiceRequest(adaId, null, "CODE", [new InvoiceLine("Board-up", 1m, 312.45m)]), "clerk");
        var demolition = await create.ExecuteAsync(new CreateInvoiceRequest(null, Party("Ben Ortiz", "8 Finch Road"), "CODE", [new InvoiceLine("Demolition", 1m, 500m)]), "clerk");
        var ada = weeds.Invoice.AccountNumber;
        var ben = demolition.Invoice.AccountNumber;
        var today = weeds.Invoice.IssuedOn;
        var cases = scope.ServiceProvider.GetRequiredService<BankruptcyCases>();

        // Refusals name their field: a petition after today, a Chapter 13 without its trustee, an account that is not on file.
        var filing = new BankruptcyFiling("26-bk-14410", BankruptcyChapter.Chapter13, "Bankr. D. Or.", today, null, "Lee Park, attorney", "Naomi Gray, Chapter 13 trustee", [ada], "case-1");
        Assert.Equal("petitionDate", (await Assert.ThrowsAsync<DomainException>(() => cases.FileAsync(filing with { PetitionDate = today.AddDays(1) }, "collector"))).Field);
        Assert.Equal("trustee", (await Assert.ThrowsAsync<DomainException>(() => cases.FileAsync(filing with { Trustee = " " }, "collector"))).Field);
        Assert.Equal("accountNumbers", (await Assert.ThrowsAsync<DomainException>(() => cases.FileAsync(filing with { AccountNumbers = ["R-NOPE"] }, "collector"))).Field);

        // Entered: the stay on Ada's account, and the 1,012.45 she owed on the petition date moved off it into the claim. A retry enters nothing.
        var entered = await cases.FileAsync(filing, "collector");
        Assert.True((await cases.FileAsync(filing, "collector")).AlreadyDone);
        Assert.Equal("Idempotency-Key", (await Assert.ThrowsAsync<DomainException>(() => cases.FileAsync(filing with { Court = "Bankr. W.D. Wash." }, "collector"))).Field);
        Assert.Equal("caseNumber", (await Assert.ThrowsAsync<DomainException>(() => cases.FileAsync(filing with { IdempotencyKey = null }, "collector"))).Field);
        Assert.Equal((BankruptcyStatus.Open, "Ada Quinn", 1_012.45m, 1_012.45m), (entered.Case.Status, entered.Case.DebtorName, entered.Case.PrePetition.Dollars, entered.Case.Remaining.Dollars));
        var adaAccount = Assert.Single(entered.Case.Accounts);
        Assert.Equal((0m, true), (adaAccount.BalanceNow.Dollars, adaAccount.StayInForce));
        var stay = await db.AccountProtections.AsNoTracking().SingleAsync(p => p.AccountId == adaAccount.AccountId);
        Assert.Equal((ProtectionKind.BankruptcyStay, today), (stay.Kind, stay.StartsOn));
        Assert.Contains("Chapter 13 case 26-bk-14410 (Bankr. D. Or.)", stay.Note, StringComparison.Ordinal);
        Assert.Equal("accountNumbers", (await Assert.ThrowsAsync<DomainException>(() => cases.FileAsync(filing with { CaseNumber = "26-bk-99999", IdempotencyKey = "case-x" }, "collector"))).Field);
        await TiesOutAsync(db, 1_012.45m);

        // Billed after the petition: on the account as usual, not in the claim.
        await create.ExecuteAsync(new CreateInvoiceRequest(adaId, null, "CODE", [new InvoiceLine("Reinspection", 1m, 85m)]), "clerk");
        Assert.Equal(85m, (await cases.FindAsync("26-bk-14410")).Accounts[0].BalanceNow.Dollars);

        // The debt check finds the claim, stayed, and the case.
        var check = await scope.ServiceProvider.GetRequiredService<DebtCheck>().ExecuteAsync(DebtCheckBy.Name, "Ada Quinn", "clerk", "screen");
        var debtor = Assert.Single(check.Debtors);
        var claim = Assert.Single(debtor.Debts, d => d.Kind == "Bankruptcy claim");
        Assert.Equal(("26-bk-14410", "Stayed", 1_012.45m, 0m), (claim.Reference, claim.Status, claim.Owed.Dollars, claim.PastDue.Dollars));
        Assert.Equal("Open: automatic stay in force", Assert.Single(debtor.Bankruptcies!).Status);
        Assert.Equal(1_012.45m + 85m, debtor.Owed.Dollars);

        // The trustee pays twice; a retry posts nothing; more than the claim is refused.
        var payment = new TrusteePaymentRequest("26-bk-14410", Money.FromCents(40_000), Tender.Check, "TR-5501", "pay-1");
        var paid = await cases.PayAsync(payment, "cashier");
        Assert.True((await cases.PayAsync(payment, "cashier")).AlreadyDone);
        await cases.PayAsync(payment with { Amount = Money.FromCents(12_345), Reference = "TR-5617", IdempotencyKey = "pay-2" }, "cashier");
        Assert.Equal("amount", (await Assert.ThrowsAsync<DomainException>(() => cases.PayAsync(payment with { Amount = Money.FromCents(50_000), IdempotencyKey = "pay-3" }, "cashier"))).Field);
        var afterPayments = await cases.FindAsync("26-bk-14410");
        Assert.Equal((523.45m, 489.00m, 2), (afterPayments.Paid.Dollars, afterPayments.Remaining.Dollars, afterPayments.Payments.Count));
        Assert.Equal(85m, afterPayments.Accounts[0].BalanceNow.Dollars);
        await TiesOutAsync(db, 489.00m);

        // Discharged: the 489.00 left is written off (reason BANKRUPTCY), the stay ends; the post-petition 85.00 is still owed.
        var discharged = await cases.DischargeAsync("26-bk-14410", "Discharge order, docket 41", "supervisor");
        Assert.Equal((BankruptcyStatus.Discharged, 0m, 489.00m), (discharged.Case.Status, discharged.Case.Remaining.Dollars, discharged.Case.WrittenOff.Dollars));
        Assert.False(discharged.Case.Accounts[0].StayInForce);
        Assert.True((await cases.DischargeAsync("26-bk-14410", "Discharge order, docket 41", "supervisor")).AlreadyDone);
        Assert.Equal("caseNumber", (await Assert.ThrowsAsync<DomainException>(() => cases.DismissAsync("26-bk-14410", null, "supervisor"))).Field);
        Assert.Equal("caseNumber", (await Assert.ThrowsAsync<DomainException>(() => cases.PayAsync(payment with { IdempotencyKey = "pay-4", Reference = "TR-6000" }, "cashier"))).Field);
        var writeOff = await db.WriteOffs.AsNoTracking().SingleAsync();
        Assert.Equal(("BANKRUPTCY", 48_900L), (writeOff.ReasonCode, writeOff.AmountCents));
        Assert.Equal("writeOffId", (await Assert.ThrowsAsync<DomainException>(() =>
            scope.ServiceProvider.GetRequiredService<ReverseWriteOff>().ExecuteAsync(writeOff.Id, "Customer paid after all", null, "supervisor"))).Field);
        Assert.Equal(85_00L, await AccountLedger.BalanceAsync(db, adaAccount.AccountId, default));
        await TiesOutAsync(db, 0m);

        // Ben's Chapter 7 case: paid 100.00 once, then dismissed: the 400.00 left is back on his account, due as it was.
        var benCase = await cases.FileAsync(new BankruptcyFiling("26-bk-20001", BankruptcyChapter.Chapter7, "Bankr. D. Or.", today, "Benjamin Ortiz", null, "Ray Holt", [ben]), "collector");
        Assert.Equal(500m, benCase.Case.PrePetition.Dollars);
        await cases.PayAsync(new TrusteePaymentRequest("26-bk-20001", Money.FromCents(10_000), Tender.Ach, "EFT 88"), "cashier");
        await TiesOutAsync(db, 400m);
        var dismissed = await cases.DismissAsync("26-bk-20001", "Dismissed for failure to file schedules", "supervisor");
        Assert.Equal((BankruptcyStatus.Dismissed, 400m, 0m), (dismissed.Case.Status, dismissed.Case.Returned.Dollars, dismissed.Case.Remaining.Dollars));
        var benAccountId = dismissed.Case.Accounts[0].AccountId;
        Assert.Equal(400_00L, await AccountLedger.BalanceAsync(db, benAccountId, default));
        var returned = await db.OpenItems.AsNoTracking().SingleAsync(o => o.AccountId == benAccountId && o.OpenCents > 0);
        Assert.Equal(demolition.Invoice.DueOn, returned.DueOn);
        Assert.False((await db.AccountProtections.AsNoTracking().SingleAsync(p => p.AccountId == benAccountId)).IsActiveOn(today));
        await TiesOutAsync(db, 0m);

        // Every posting of the cases: the two transfers, three trustee payments, the discharge and the return, each balanced.
        var types = await db.FinancialTransactions.AsNoTracking()
            .Where(t => t.Type == FinancialTransactionType.BankruptcyTransfer || t.Type == FinancialTransactionType.TrusteePayment
                || t.Type == FinancialTransactionType.BankruptcyDischarge || t.Type == FinancialTransactionType.BankruptcyReturn)
            .Select(t => t.Type).ToListAsync();
        Assert.Equal((2, 3, 1, 1), (types.Count(t => t == FinancialTransactionType.BankruptcyTransfer), types.Count(t => t == FinancialTransactionType.TrusteePayment),
            types.Count(t => t == FinancialTransactionType.BankruptcyDischarge), types.Count(t => t == FinancialTransactionType.BankruptcyReturn)));

        // The trustees' checks and EFTs are among the month's receipts, so receipts still tie to the cash account.
        var month = await new AccountingReports(db).MonthlyAsync(today.Year, today.Month);
        Assert.Equal(month.CashDebits, month.TotalReceipts);
        Assert.Equal(623.45m, Money.Sum(month.Receipts.Select(r => r.Amount)).Dollars);

        var proof = await scope.ServiceProvider.GetRequiredService<ProofOfClaim>().RenderAsync("26-bk-14410", "Pat Collector");
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(proof.Pdf, 0, 4), StringComparison.Ordinal);
        Assert.Contains("7. Amount of the claim: $1,012.45    Does it include interest or other charges? No", proof.Lines);
        Assert.Contains("$123.45", proof.Lines);
    }

    /// <summary>The trial balance balances and ties to the customers' sub-ledger, and the bankruptcy receivable holds exactly the open claims.</summary>
    private static async Task TiesOutAsync(OpenCisDbContext db, decimal claimsOpen)
    {
        var trial = await new LedgerReports(db).TrialBalanceAsync();
        Assert.True(trial.Balances && trial.TiesToSubLedger, $"debits {trial.TotalDebits} credits {trial.TotalCredits}, AR {trial.ReceivableControl} against {trial.SubLedgerTotal}");
        Assert.Equal(claimsOpen, trial.Rows.SingleOrDefault(r => r.GlAccount == GlAccounts.BankruptcyReceivable)?.Balance.Dollars ?? 0m);
        Assert.Equal(claimsOpen, Money.FromCents(await db.BankruptcyClaims.SumAsync(c => c.OpenCents)).Dollars);
    }
}
