using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage;
using OpenCIS.UseCases.Billing;
using OpenCIS.Web.Api;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Budget billing through the API of the demo city: a clerk enrolls a C1 account at the amount its year suggests (once:
/// again is refused naming the account), C1's December run bills it that amount with its actual charges beside it on the
/// bill, and ending the plan settles the deferred balance; an auditor reads but may not enroll.
/// </summary>
public sealed class BudgetBillingApiTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [SkippableFact]
    public async Task A_clerk_enrolls_an_account_the_run_bills_its_budget_and_ending_it_settles_the_deferred_balance()
    {
        await using var factory = new OpenCisWebFactory();
        await BillingJobTests.ReadCycleAsync(factory);
        var clerk = await factory.SignedInClientAsync("Clerk");
        var auditor = await factory.SignedInClientAsync("Auditor");
        string accountNumber;
        long accountId;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            var first = await db.Accounts.Where(a => a.CycleCode == "C1" && a.Status == OpenCIS.Storage.Customers.AccountStatus.Active).OrderBy(a => a.Id)
                .Select(a => new { a.Id, a.AccountNumber }).FirstAsync();
            (accountId, accountNumber) = (first.Id, first.AccountNumber);
        }

        var before = (await auditor.GetFromJsonAsync<BudgetResponse>($"/api/accounts/{accountNumber}/budget", Json))!;
        Assert.Null(before.Active);
        Assert.NotNull(before.SuggestedAmount);
        Assert.True(before.HistoryBills >= 10, $"{before.HistoryBills} bills");
        Assert.Equal(11, before.DefaultTrueUpMonth);

        Assert.Equal(HttpStatusCode.Forbidden, (await ApiRequests.PostAsync(auditor, $"/api/accounts/{accountNumber}/budget", new BudgetEnrollBody())).StatusCode);
        Assert.Equal("monthlyAmount", await ApiRequests.ProblemFieldAsync(await ApiRequests.PostAsync(clerk, $"/api/accounts/{accountNumber}/budget", new BudgetEnrollBody("85.50"))));
        Assert.Equal("trueUpMonth", await ApiRequests.ProblemFieldAsync(await ApiRequests.PostAsync(clerk, $"/api/accounts/{accountNumber}/budget", new BudgetEnrollBody(TrueUpMonth: 13))));
        Assert.Equal("accountNumber", await ApiRequests.ProblemFieldAsync(await ApiRequests.PostAsync(clerk, "/api/accounts/9999999999/budget", new BudgetEnrollBody())));

        var enroll = await ApiRequests.PostAsync(clerk, $"/api/accounts/{accountNumber}/budget", new BudgetEnrollBody(), "enroll-1");
        Assert.Equal(HttpStatusCode.OK, enroll.StatusCode);
        var enrolled = (await enroll.Content.ReadFromJsonAsync<BudgetResponse>(Json))!;
        Assert.Equal((before.SuggestedAmount, 11, 3, "Active"), (enrolled.Active!.MonthlyAmount, enrolled.Active.TrueUpMonth, enrolled.Active.ReviewEveryMonths, enrolled.Active.Status));
        Assert.Equal("accountNumber", await ApiRequests.ProblemFieldAsync(await ApiRequests.PostAsync(clerk, $"/api/accounts/{accountNumber}/budget", new BudgetEnrollBody())));

        // C1's December run bills the budget amount; the bill shows its actual charges and the deferral beside it.
        long billId;
        using (var scope = factory.Services.CreateScope())
        {
            var run = await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", new DateOnly(2026, 12, 8), "clerk");
            var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
            billId = await db.Bills.Where(b => b.BillingRunId == run.RunId && b.AccountId == accountId).Select(b => b.Id).SingleAsync();
        }

        var budget = (await auditor.GetFromJsonAsync<BudgetResponse>($"/api/accounts/{accountNumber}/budget", Json))!;
        var bill = Assert.Single(budget.Bills);
        Assert.Equal((billId, enrolled.Active.MonthlyAmount, enrolled.Active.MonthlyAmount, false), (bill.BillId, bill.BudgetAmount, bill.Billed, bill.TrueUp));
        Assert.Equal(decimal.Parse(bill.ActualCharges, System.Globalization.CultureInfo.InvariantCulture) - decimal.Parse(bill.Billed, System.Globalization.CultureInfo.InvariantCulture),
            decimal.Parse(budget.DeferredBalance, System.Globalization.CultureInfo.InvariantCulture));
        var document = (await auditor.GetFromJsonAsync<JsonElement>($"/api/billing/bills/{billId}", Json))!;
        Assert.Equal(decimal.Parse(enrolled.Active.MonthlyAmount, System.Globalization.CultureInfo.InvariantCulture) * 100, document.GetProperty("budget").GetProperty("budgetAmountCents").GetInt64());

        // Ended: the deferred balance is settled; the same key replays; ending again is refused naming the account.
        Assert.Equal("reason", await ApiRequests.ProblemFieldAsync(await ApiRequests.PostAsync(clerk, $"/api/accounts/{accountNumber}/budget/end", new BudgetEndBody(""))));
        var end = await ApiRequests.PostAsync(clerk, $"/api/accounts/{accountNumber}/budget/end", new BudgetEndBody("Customer asked"), "end-1");
        Assert.Equal(HttpStatusCode.OK, end.StatusCode);
        var ended = (await end.Content.ReadFromJsonAsync<BudgetResponse>(Json))!;
        Assert.Null(ended.Active);
        Assert.Equal("0.00", ended.DeferredBalance);
        var retry = await ApiRequests.PostAsync(clerk, $"/api/accounts/{accountNumber}/budget/end", new BudgetEndBody("Customer asked"), "end-1");
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal("accountNumber", await ApiRequests.ProblemFieldAsync(await ApiRequests.PostAsync(clerk, $"/api/accounts/{accountNumber}/budget/end", new BudgetEndBody("again"))));
    }
}
