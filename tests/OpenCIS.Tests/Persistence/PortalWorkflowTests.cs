using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Portal;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Jobs;
using OpenCIS.UseCases.Portal;
using OpenCIS.UseCases.Portal.Processors;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// A customer's way through the portal on both databases, on the seeded city: sign-up proven by a recent bill (and refused by an
/// older one), the e-mailed link that verifies the address, sign-in and its lockout, a password reset that ends the old session,
/// and a card payment that posts once when the processor's signed event arrives, however often it arrives, with the ledger true.
/// </summary>
public sealed partial class PortalWorkflowTests
{
    private const string Password = "tall lamps over quiet rivers";

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_customer_signs_up_verifies_pays_by_card_once_and_resets_a_password(TestProvider provider)
    {
        var (database, _) = await TestDatabases.SeededCity100Async(provider);
        await using var _database = database;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FixedClock(FixedClock.DemoToday));
        services.AddSingleton<IJobQueue, NoJobQueue>();
        services.AddOpenCisUseCases(new ConfigurationBuilder().AddConfiguration(database.Configuration())
            .AddInMemoryCollection(new Dictionary<string, string?> { ["OPENCIS_PAYMENT_PROCESSOR"] = "test" }).Build());
        await using var container = services.BuildServiceProvider();
        async Task<T> Run<T>(Func<IServiceProvider, Task<T>> work)
        {
            await using var scope = container.CreateAsyncScope();
            return await work(scope.ServiceProvider);
        }

        // An account with three bills, none of them linked to a portal login yet.
        var (accountId, accountNumber, bills) = await Run(async s =>
        {
            var db = s.GetRequiredService<OpenCisDbContext>();
            var account = await db.Accounts.Where(a => a.Status == OpenCIS.Storage.Customers.AccountStatus.Active && !db.PortalUserAccounts.Any(l => l.AccountId == a.Id)
                    && db.Bills.Count(b => b.AccountId == a.Id && b.Status == BillStatus.Issued) >= 3)
                .OrderBy(a => a.Id).Select(a => new { a.Id, a.AccountNumber }).FirstAsync();
            var latest = await db.Bills.Where(b => b.AccountId == account.Id && b.Status == BillStatus.Issued).OrderByDescending(b => b.BillDate).ThenByDescending(b => b.Id)
                .Take(3).Select(b => new { b.Id, b.AmountDueCents }).ToListAsync();
            return (account.Id, account.AccountNumber, latest);
        });
        string Link(string user, string token) => $"https://portal.example/portal/verify?user={Uri.EscapeDataString(user)}&token={Uri.EscapeDataString(token)}";
        PortalSignUpRequest SignUp(string secret, string email = "lee@riverbend.example") => new(accountNumber, secret, "Lee Park", email, Password, "es");

        // A bill older than the latest two, a number that is no bill, and an amount no bill was for: refused alike.
        foreach (var secret in new[] { bills[2].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "99999999", "1.23" })
        {
            var refused = await Assert.ThrowsAsync<PortalException>(() => Run(s => s.GetRequiredService<PortalLogins>().SignUpAsync(SignUp(secret), Link)));
            Assert.Equal(("ErrorProof", "billSecret"), (refused.Key, refused.Field));
        }

        Assert.Equal("ErrorPassword", (await Assert.ThrowsAsync<PortalException>(() => Run(s => s.GetRequiredService<PortalLogins>()
            .SignUpAsync(SignUp(bills[1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)) with { Password = "short" }, Link)))).Key);

        // The second-latest bill's number proves the account; the login waits for its address to be verified.
        var userId = await Run(s => s.GetRequiredService<PortalLogins>().SignUpAsync(SignUp(bills[1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), Link));
        Assert.NotNull(userId);
        Assert.Equal(PortalSignInStatus.NotVerified, (await Run(s => s.GetRequiredService<PortalLogins>().SignInAsync("lee@riverbend.example", Password, Link))).Status);
        var verifyMail = await Run(s => s.GetRequiredService<OpenCisDbContext>().OutgoingMail.Where(m => m.Kind == "PortalVerify").OrderBy(m => m.Id).FirstAsync());
        Assert.StartsWith("Hola, Lee Park", verifyMail.BodyText, StringComparison.Ordinal);
        var token = Uri.UnescapeDataString(TokenInLink().Match(verifyMail.BodyText).Groups[1].Value);
        Assert.False(await Run(s => s.GetRequiredService<PortalLogins>().VerifyEmailAsync(userId!, token + "x")));
        Assert.True(await Run(s => s.GetRequiredService<PortalLogins>().VerifyEmailAsync(userId!, token)));
        var signedIn = await Run(s => s.GetRequiredService<PortalLogins>().SignInAsync("LEE@riverbend.example", Password, Link));
        Assert.Equal((PortalSignInStatus.SignedIn, "es"), (signedIn.Status, signedIn.Login!.Language));

        // A second sign-up with the same address (the latest bill's amount due proves the account too) makes no second login: the address is mailed.
        Assert.Null(await Run(s => s.GetRequiredService<PortalLogins>().SignUpAsync(SignUp(OpenCIS.Core.Common.Money.FromCents(bills[0].AmountDueCents).ToPlainString()), Link)));
        Assert.Equal(1, await Run(s => s.GetRequiredService<OpenCisDbContext>().PortalUsers.CountAsync(u => u.Email == "lee@riverbend.example")));

        // A card payment: pending until the processor's event, posted once however often the event comes.
        var balanceBefore = await Run(s => LedgerChecks.BalanceAsync(s.GetRequiredService<OpenCisDbContext>(), accountId));
        var started = await Run(s => s.GetRequiredService<OnlinePayments>().StartAsync(userId!, accountNumber, "25.00", bills[0].Id,
            new Uri("https://portal.example/portal/payments/"), new Uri("https://portal.example/portal")));
        Assert.StartsWith("https://portal.example/test-processor/checkout/cs_test_", started.PageUrl.ToString(), StringComparison.Ordinal);
        var session = await Run(s => s.GetRequiredService<OpenCisDbContext>().OnlinePayments.Where(p => p.Id == started.OnlinePaymentId).Select(p => p.SessionId).SingleAsync());
        Assert.Equal(balanceBefore, await Run(s => LedgerChecks.BalanceAsync(s.GetRequiredService<OpenCisDbContext>(), accountId)));
        var payload = "{\"id\":\"evt_a\",\"type\":\"checkout.session.completed\",\"data\":{\"object\":{\"id\":\"" + session
            + "\",\"amount_total\":2500,\"payment_status\":\"paid\",\"payment_intent\":\"pi_a\",\"card\":{\"brand\":\"mastercard\",\"last4\":\"4444\"}}}}";
        var notice = await Run(s => Task.FromResult(s.GetRequiredService<PaymentProcessors>().Find("test")!
            .ReadWebhook(payload, name => name == TestProcessor.SignatureHeader ? TestProcessor.Sign(payload, TestProcessorSettings.DemoSecret, FixedClock.DemoToday) : null)));
        Assert.Throws<WebhookRefusedException>(() => container.CreateScope().ServiceProvider.GetRequiredService<PaymentProcessors>().Find("test")!
            .ReadWebhook(payload.Replace("2500", "25", StringComparison.Ordinal), _ => TestProcessor.Sign(payload, TestProcessorSettings.DemoSecret, FixedClock.DemoToday)));
        var outcomes = new List<WebhookOutcome>();
        for (var delivery = 0; delivery < 3; delivery++)
        {
            outcomes.Add(await Run(s => s.GetRequiredService<OnlinePayments>().ApplyAsync("test", notice)));
        }

        Assert.Equal([true, false, false], outcomes.Select(o => o.Posted));
        // Another event id for the same session posts nothing either.
        Assert.False((await Run(s => s.GetRequiredService<OnlinePayments>().ApplyAsync("test", notice with { EventId = "evt_b" }))).Posted);
        await Run(async s =>
        {
            var db = s.GetRequiredService<OpenCisDbContext>();
            Assert.Equal(balanceBefore - 25_00, await LedgerChecks.BalanceAsync(db, accountId));
            var online = await db.OnlinePayments.SingleAsync(p => p.Id == started.OnlinePaymentId);
            Assert.Equal((OnlinePaymentStatus.Posted, "mastercard", "4444", "pi_a"), (online.Status, online.CardBrand, online.CardLastFour, online.ProcessorReference));
            var payment = await db.Payments.SingleAsync(p => p.Id == online.PaymentId);
            Assert.Equal((25_00L, OpenCIS.Core.Payments.Tender.Card, OpenCIS.Core.Payments.PaymentSource.Online, "mastercard 4444"), (payment.AmountCents, payment.Tender, payment.Source, payment.Reference));
            Assert.Single(await db.Payments.Where(p => p.AccountId == accountId && p.Cashier == OnlinePayments.Cashier).ToListAsync());
            var receipt = await db.OutgoingMail.SingleAsync(m => m.Kind == "PortalReceipt");
            Assert.Contains("Importe: $25.00", receipt.BodyText, StringComparison.Ordinal);
            await LedgerChecks.TiesOutAsync(db);
            return 0;
        });

        // A checkout the processor reports failed is no longer pending; if the processor takes the money after all, its word stands and it posts.
        var second = await Run(s => s.GetRequiredService<OnlinePayments>().StartAsync(userId!, accountNumber, "5.00", null,
            new Uri("https://portal.example/portal/payments/"), new Uri("https://portal.example/portal")));
        var secondSession = await Run(s => s.GetRequiredService<OpenCisDbContext>().OnlinePayments.Where(p => p.Id == second.OnlinePaymentId).Select(p => p.SessionId).SingleAsync());
        var failed = new ProcessorNotice("evt_c", "checkout.session.async_payment_failed", ProcessorOutcome.Failed, secondSession, 5_00, null, null, null, "declined");
        Assert.False((await Run(s => s.GetRequiredService<OnlinePayments>().ApplyAsync("test", failed))).Posted);
        Assert.Equal("Failed", (await Run(s => s.GetRequiredService<PortalQueries>().OnlinePaymentAsync(userId!, second.OnlinePaymentId))).Status);
        Assert.DoesNotContain((await Run(s => s.GetRequiredService<PortalQueries>().AccountAsync(userId!, accountNumber))).Payments, p => p.Pending);
        Assert.True((await Run(s => s.GetRequiredService<OnlinePayments>().ApplyAsync("test", failed with { EventId = "evt_d", Kind = "checkout.session.completed", Outcome = ProcessorOutcome.Paid }))).Posted);
        Assert.Equal(balanceBefore - 30_00, await Run(s => LedgerChecks.BalanceAsync(s.GetRequiredService<OpenCisDbContext>(), accountId)));

        // Ten wrong passwords lock the login; a reset by the mailed link lifts it and ends the sessions of the old password.
        for (var attempt = 0; attempt < 10; attempt++)
        {
            await Run(s => s.GetRequiredService<PortalLogins>().SignInAsync("lee@riverbend.example", "wrong password " + attempt, Link));
        }

        Assert.Equal(PortalSignInStatus.LockedOut, (await Run(s => s.GetRequiredService<PortalLogins>().SignInAsync("lee@riverbend.example", Password, Link))).Status);
        await Run(async s => { await s.GetRequiredService<PortalLogins>().RequestPasswordResetAsync("lee@riverbend.example", Link); return 0; });
        var resetMail = await Run(s => s.GetRequiredService<OpenCisDbContext>().OutgoingMail.SingleAsync(m => m.Kind == "PortalReset"));
        var resetToken = Uri.UnescapeDataString(TokenInLink().Match(resetMail.BodyText).Groups[1].Value);
        await Assert.ThrowsAsync<PortalException>(() => Run(async s => { await s.GetRequiredService<PortalLogins>().ResetPasswordAsync(userId!, resetToken + "x", "green boats sail at dawn"); return 0; }));
        await Run(async s => { await s.GetRequiredService<PortalLogins>().ResetPasswordAsync(userId!, resetToken, "green boats sail at dawn"); return 0; });
        Assert.Null(await Run(s => s.GetRequiredService<PortalLogins>().CurrentAsync(userId!, signedIn.Login.SecurityStamp)));
        Assert.Equal(PortalSignInStatus.SignedIn, (await Run(s => s.GetRequiredService<PortalLogins>().SignInAsync("lee@riverbend.example", "green boats sail at dawn", Link))).Status);
        // Staff see the customer's portal actions on the account's audit trail.
        var actions = await Run(s => s.GetRequiredService<OpenCisDbContext>().AuditEntries.Where(a => a.AccountId == accountId && a.User == "portal:lee@riverbend.example")
            .Select(a => a.Action).ToListAsync());
        Assert.Equal(["Link portal login", "Online payment", "Reset portal password", "Start online payment", "Verify portal e-mail"], actions.Distinct().Order(StringComparer.Ordinal));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_paperless_accounts_bills_are_emailed_to_its_portal_logins_once_and_left_out_of_the_print_file(TestProvider provider)
    {
        var (database, _) = await TestDatabases.SeededCity100Async(provider);
        await using var _database = database;
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var run = await db.BillingRuns.OrderByDescending(r => r.Id).FirstAsync();
        var bill = await db.Bills.Where(b => b.BillingRunId == run.Id && b.Status == BillStatus.Issued && !db.PortalUserAccounts.Any(l => l.AccountId == b.AccountId))
            .OrderBy(b => b.Id).FirstAsync();
        var account = await db.Accounts.SingleAsync(a => a.Id == bill.AccountId);
        account.ChooseBillDelivery(OpenCIS.Storage.Customers.BillDelivery.Email);
        LinkLogin(db, "ana@riverbend.example", "Ana Ruiz", "es", account.Id);
        await db.SaveChangesAsync();

        var eBills = scope.ServiceProvider.GetRequiredService<EBills>();
        Assert.True(await eBills.QueueForRunAsync(run.Id) >= 1);
        Assert.Equal(0, await eBills.QueueForRunAsync(run.Id));
        var mail = await db.OutgoingMail.SingleAsync(m => m.Kind == "PortalEBill" && m.AccountId == account.Id);
        Assert.Equal("ana@riverbend.example", mail.ToAddress);
        Assert.StartsWith("Hola, Ana Ruiz", mail.BodyText, StringComparison.Ordinal);
        Assert.Contains($"/portal/accounts/{account.AccountNumber}/bills/{bill.Id}", mail.BodyText, StringComparison.Ordinal);
        // Ana reads Spanish: so does her bill, reprinted.
        var document = await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Billing.BillDocuments>().LoadAsync(bill.Id);
        Assert.Equal("es", document!.Language);
        Assert.Contains("Importe a pagar", OpenCIS.UseCases.Billing.BillPdf.Render(document).Text);

        using var file = new StringWriter();
        var summary = await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Billing.BillPrintExport>().WriteAsync(run.Id, file);
        Assert.True(summary!.Paperless >= 1);
        Assert.DoesNotContain($"B|{bill.Id}|", file.ToString(), StringComparison.Ordinal);
        Assert.Equal(await db.Bills.CountAsync(b => b.BillingRunId == run.Id && b.Status == BillStatus.Issued), summary.Bills + summary.Paperless + summary.HeldForReturnedMail);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_login_is_reminded_once_of_a_bill_falling_due_that_is_still_owed_unless_it_turned_reminders_off(TestProvider provider)
    {
        var (database, _) = await TestDatabases.SeededCity100Async(provider);
        await using var _database = database;
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var owing = await OwingBillsAsync(db);
        var (billId, accountId, dueDate) = owing[0];
        var (otherBill, otherAccount, _) = owing.First(o => o.DueDate == dueDate && o.AccountId != accountId);
        LinkLogin(db, "ana@riverbend.example", "Ana Ruiz", "en", accountId);
        LinkLogin(db, "ben@riverbend.example", "Ben Ode", "en", otherAccount, reminders: false);
        await db.SaveChangesAsync();

        var reminders = scope.ServiceProvider.GetRequiredService<DueDateReminders>();
        Assert.Equal(0, await reminders.QueueAsync(dueDate.AddDays(-DueDateReminders.DaysAhead - 1)));
        // (The demo's own customers may be reminded of their bills too.)
        Assert.True(await reminders.QueueAsync(dueDate.AddDays(-2)) >= 1);
        Assert.Equal(0, await reminders.QueueAsync(dueDate.AddDays(-1)));
        var mail = await db.OutgoingMail.SingleAsync(m => m.Kind == "PortalReminder" && m.ToAddress == "ana@riverbend.example");
        Assert.Equal(("ana@riverbend.example", accountId), (mail.ToAddress, mail.AccountId));
        Assert.Contains($"/pay?bill={billId}", mail.BodyText, StringComparison.Ordinal);
        Assert.False(await db.OutgoingMail.AnyAsync(m => m.Kind == "PortalReminder" && m.AccountId == otherAccount), $"bill {otherBill}: its login turned reminders off");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_customer_arranges_the_past_due_amount_within_policy_once_and_nothing_on_an_account_with_nothing_past_due(TestProvider provider)
    {
        var (database, _) = await TestDatabases.SeededCity100Async(provider);
        await using var _database = database;
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var today = scope.ServiceProvider.GetRequiredService<BusinessCalendar>().Today();
        // An account behind, with no arrangement ever, and one owing nothing past due.
        var candidates = await db.Accounts.Where(a => a.Status == OpenCIS.Storage.Customers.AccountStatus.Active && !db.Arrangements.Any(x => x.AccountId == a.Id)
                && !db.PortalUserAccounts.Any(l => l.AccountId == a.Id)).OrderBy(a => a.Id).Select(a => new { a.Id, a.AccountNumber }).ToListAsync();
        var pastDue = new Dictionary<long, long>();
        foreach (var candidate in candidates)
        {
            pastDue[candidate.Id] = (await OpenCIS.UseCases.Collections.CreateArrangement.PastDueAsync(db, candidate.Id, today, CancellationToken.None)).Cents;
        }

        var behind = candidates.First(c => pastDue[c.Id] > 1_00);
        var current = candidates.First(c => pastDue[c.Id] == 0);
        LinkLogin(db, "ana@riverbend.example", "Ana Ruiz", "es", behind.Id);
        LinkLogin(db, "ben@riverbend.example", "Ben Ode", "en", current.Id);
        await db.SaveChangesAsync();
        var ana = await db.PortalUsers.Where(u => u.Email == "ana@riverbend.example").Select(u => u.Id).SingleAsync();
        var ben = await db.PortalUsers.Where(u => u.Email == "ben@riverbend.example").Select(u => u.Id).SingleAsync();
        var arrangements = scope.ServiceProvider.GetRequiredService<PortalArrangements>();

        var offer = await arrangements.OfferAsync(ana, behind.AccountNumber);
        Assert.True(offer.CanArrange, offer.RefusalKey);
        Assert.Equal(pastDue[behind.Id], offer.PastDue.Cents);
        Assert.Equal(today.AddMonths(1), offer.FirstDueOn);
        var refused = await Assert.ThrowsAsync<PortalException>(() => arrangements.ArrangeAsync(ana, behind.AccountNumber, offer.InstallmentsMax + 1));
        Assert.Equal(("ErrorInstallments", "installments"), (refused.Key, refused.Field));
        await Assert.ThrowsAsync<PortalNotFoundException>(() => arrangements.ArrangeAsync(ben, behind.AccountNumber, 3));

        var made = await arrangements.ArrangeAsync(ana, behind.AccountNumber, 3);
        Assert.Equal(("Active", pastDue[behind.Id]), (made.Status, made.Amount.Cents));
        Assert.Equal(3, made.Payments.Count(p => p.Number > 0));
        Assert.Equal(pastDue[behind.Id], made.Payments.Sum(p => p.Amount.Cents));
        Assert.Equal([today.AddMonths(1), today.AddMonths(2), today.AddMonths(3)], made.Payments.Where(p => p.Number > 0).Select(p => p.DueOn));
        // Made as the customer: staff see it on the account like one a collector made.
        var row = await db.Arrangements.AsNoTracking().SingleAsync(a => a.AccountId == behind.Id);
        Assert.Equal(("portal:ana@riverbend.example", null), (row.CreatedBy, row.OutsidePolicy));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.AccountId == behind.Id && a.Action == "Create arrangement" && a.User == "portal:ana@riverbend.example"));

        // Once: the offer now shows it, and a second is refused.
        offer = await arrangements.OfferAsync(ana, behind.AccountNumber);
        Assert.Equal(("ArrangementHaveOne", made.Id), (offer.RefusalKey, offer.Active?.Id));
        Assert.Equal("ArrangementHaveOne", (await Assert.ThrowsAsync<PortalException>(() => arrangements.ArrangeAsync(ana, behind.AccountNumber, 3))).Key);
        Assert.Equal(1, await db.Arrangements.CountAsync(a => a.AccountId == behind.Id));

        Assert.Equal("ArrangementNothingPastDue", (await arrangements.OfferAsync(ben, current.AccountNumber)).RefusalKey);
        Assert.Equal("ArrangementNothingPastDue", (await Assert.ThrowsAsync<PortalException>(() => arrangements.ArrangeAsync(ben, current.AccountNumber, 3))).Key);
        Assert.False(await db.Arrangements.AnyAsync(a => a.AccountId == current.Id));
    }

    /// <summary>The latest run's bills of accounts that still owe, with no portal login and no autopay, in bill order.</summary>
    private static async Task<List<(long Id, long AccountId, DateOnly DueDate)>> OwingBillsAsync(OpenCisDbContext db)
    {
        var run = await db.BillingRuns.OrderByDescending(r => r.Id).FirstAsync();
        var candidates = await db.Bills.Where(b => b.BillingRunId == run.Id && b.Status == BillStatus.Issued && !db.PortalUserAccounts.Any(l => l.AccountId == b.AccountId)
                && !db.AchEnrollments.Any(e => e.AccountId == b.AccountId)).OrderBy(b => b.Id).Select(b => new { b.Id, b.AccountId, b.DueDate }).ToListAsync();
        var owing = new List<(long Id, long AccountId, DateOnly DueDate)>();
        foreach (var candidate in candidates)
        {
            if (await LedgerChecks.BalanceAsync(db, candidate.AccountId) > 0)
            {
                owing.Add((candidate.Id, candidate.AccountId, candidate.DueDate));
            }
        }

        return owing;
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_login_proves_a_mobile_number_by_a_texted_code_and_is_texted_its_reminder_in_its_language(TestProvider provider)
    {
        var (database, _) = await TestDatabases.SeededCity100Async(provider);
        await using var _database = database;
        var texts = Path.Combine(Path.GetTempPath(), $"opencis-texts-{Guid.NewGuid():N}");
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FixedClock(FixedClock.DemoToday));
        services.AddOpenCisUseCases(new ConfigurationBuilder().AddConfiguration(database.Configuration())
            .AddInMemoryCollection(new Dictionary<string, string?> { ["OPENCIS_SMS_OUTBOX"] = texts, ["OPENCIS_MAIL_OUTBOX"] = Path.Combine(texts, "mail") }).Build());
        await using var container = services.BuildServiceProvider();
        await using var scope = container.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var (billId, accountId, dueDate) = (await OwingBillsAsync(db))[0];
        LinkLogin(db, "ana@riverbend.example", "Ana Ruiz", "es", accountId, reminders: false);
        await db.SaveChangesAsync();
        var ana = await db.PortalUsers.Where(u => u.Email == "ana@riverbend.example").Select(u => u.Id).SingleAsync();
        var channels = scope.ServiceProvider.GetRequiredService<PortalChannels>();

        Assert.Equal(("ErrorMobile", "mobile"), await RefusedAsync(() => channels.SendCodeAsync(ana, "555-0123")));
        Assert.Equal(("ErrorMobileFirst", "mobile"), await RefusedAsync(() => channels.SetTextAlertsAsync(ana, true)));
        await channels.SendCodeAsync(ana, "(541) 555-0123");
        // (The city's queued e-mail goes out in the same pass, into its own folder.)
        await scope.ServiceProvider.GetRequiredService<OpenCIS.UseCases.Mail.SendQueuedMail>().ExecuteAsync();
        Assert.Equal(OpenCIS.Storage.Mail.MailStatus.Sent, await db.OutgoingMail.Where(m => m.Kind == "PortalTextMobileCode").Select(m => m.Status).SingleAsync());
        var sent = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(texts, "*.txt")));
        Assert.StartsWith("To: +15415550123", sent, StringComparison.Ordinal);
        var code = SixDigits().Match(sent).Value;
        Assert.Equal(6, code.Length);
        var wrong = code[..5] + (char)('0' + ((code[5] - '0' + 1) % 10));
        Assert.Equal(("ErrorMobileCode", "code"), await RefusedAsync(() => channels.ConfirmAsync(ana, "5415550123", wrong)));
        Assert.Equal(("ErrorMobileCode", "code"), await RefusedAsync(() => channels.ConfirmAsync(ana, "5415550124", code)));
        await channels.ConfirmAsync(ana, "541 555 0123", code);
        Assert.Equal(new PortalChannelsView(false, "•••• 0123", true, true), await channels.ViewAsync(ana));

        // Reminders by e-mail are off and texts on: the bill falling due is texted, in Spanish, and not e-mailed.
        var reminders = scope.ServiceProvider.GetRequiredService<DueDateReminders>();
        Assert.True(await reminders.QueueAsync(dueDate.AddDays(-2)) >= 1);
        var text = await db.OutgoingMail.AsNoTracking().SingleAsync(m => m.Kind == "PortalTextReminder" && m.AccountId == accountId);
        Assert.Equal((OpenCIS.Storage.Mail.MailChannel.Sms, "+15415550123", $"reminder-text:{billId}:{ana}"), (text.Channel, text.ToAddress, text.DedupeKey));
        var accountNumber = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.AccountNumber).SingleAsync();
        Assert.Contains($"la cuenta {accountNumber} debe", text.BodyText, StringComparison.Ordinal);
        Assert.False(await db.OutgoingMail.AnyAsync(m => m.Kind == "PortalReminder" && m.AccountId == accountId));
        Assert.Equal(0, await reminders.QueueAsync(dueDate.AddDays(-1)));

        // Removing the number stops the texts; staff see each step on the account.
        await channels.RemoveMobileAsync(ana);
        Assert.Equal(new PortalChannelsView(false, null, false, false), await channels.ViewAsync(ana));
        var actions = await db.AuditEntries.Where(a => a.AccountId == accountId && a.User == "portal:ana@riverbend.example").Select(a => a.Action).ToListAsync();
        Assert.Equal(["Prove portal mobile number", "Remove portal mobile number"], actions.Order(StringComparer.Ordinal));
        Directory.Delete(texts, recursive: true);
    }

    private static async Task<(string Key, string? Field)> RefusedAsync(Func<Task> work)
    {
        var refused = await Assert.ThrowsAsync<PortalException>(work);
        return (refused.Key, refused.Field);
    }

    [GeneratedRegex("\\b[0-9]{6}\\b")]
    private static partial Regex SixDigits();

    /// <summary>A verified portal login of <paramref name="email"/> holding the account (the caller saves).</summary>
    private static void LinkLogin(OpenCisDbContext db, string email, string name, string language, long accountId, bool reminders = true)
    {
        var login = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, Language = language, CreatedAt = FixedClock.DemoToday, Reminders = reminders };
        db.PortalUsers.Add(login);
        db.PortalUserAccounts.Add(new PortalUserAccount { PortalUserId = login.Id, AccountId = accountId, Proof = "test", LinkedAt = FixedClock.DemoToday });
    }

    [GeneratedRegex("token=([^\\s&]+)")]
    private static partial Regex TokenInLink();
}
