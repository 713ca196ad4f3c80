using System.Text;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Customers;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// Skip tracing on each database: a returned-mail file with bad lines marks nothing and names them; a good one stops mail
/// to the addresses it names (notices e-mailed where the customer has a working address, held where not, bills out of the
/// print file) and imported again marks nothing twice; a wrong-number call marks the phone failed and a new phone clears
/// it; an alternate address found and made the one on file starts the mail again, the old one kept as a failed alternate.
/// </summary>
public sealed class SkipTraceWorkflowTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Returned_mail_stops_mail_until_an_alternate_address_is_made_the_one_on_file(TestProvider provider)
    {
        TestDatabases.Require(provider, "skip tracing");
        await using var city = await CollectionNoticeTests.StartAsync(provider, "skip tracing");
        var (emailed, noEmail, plain) = (city.Accounts[0], city.Accounts[1], city.Accounts[2]);
        var today = PaymentCity.BillDate;

        // A bad file: a date that is no date, an account that does not exist, a reason left out. Nothing is marked.
        var bad = Csv($"{noEmail.AccountNumber},2026-13-01,Moved", "99999999,2026-11-01,Moved", $"{plain.AccountNumber},2026-11-01,");
        var refused = await city.RunAsync<ImportReturnedMail, ReturnedMailImportOutcome>(i => i.ExecuteAsync("returned-bad.csv", bad, "clerk"));
        Assert.False(refused.Imported);
        Assert.Equal([(2, "returned_on"), (3, "account_number"), (4, "reason")], refused.Errors.Select(e => (e.Line, e.Field)).ToArray());
        Assert.All(refused.Errors, e => Assert.Equal("returned-bad.csv", e.FileName));
        await using (var db = city.Fresh())
        {
            Assert.False(await db.Customers.AnyAsync(c => c.MailReturnedOn != null));
            Assert.False(await db.ReturnedMailFiles.AnyAsync());
        }

        // The good file: the customer who chose e-mail and one with no e-mail address.
        var good = Csv($"{emailed.AccountNumber},2026-11-03,\"Moved, left no address\"", $"{noEmail.AccountNumber},2026-11-04,No such number", $"{noEmail.AccountNumber},2026-11-04,No such number");
        var imported = await city.RunAsync<ImportReturnedMail, ReturnedMailImportOutcome>(i => i.ExecuteAsync("returned-2026-11-05.csv", good, "clerk"));
        Assert.True(imported.Imported, imported.Message);
        Assert.Equal((3, 2, 1), (imported.Lines, imported.Marked, imported.AlreadyMarked));
        var again = await city.RunAsync<ImportReturnedMail, ReturnedMailImportOutcome>(i => i.ExecuteAsync("returned-copy.csv", good, "clerk"));
        Assert.Equal((true, true, 0), (again.Imported, again.AlreadyImported, again.Marked));

        var trace = await city.RunAsync<SkipTrace, SkipTraceView>(s => s.ForAccountAsync(noEmail.AccountNumber));
        Assert.Equal(ReachBy.Held, trace.NoticesGoBy);
        var address = trace.OnFile.Single(c => c.Channel == ContactChannel.Address);
        Assert.Equal((new DateOnly(2026, 11, 4), "No such number"), (address.Failure!.On, address.Failure.Reason));
        Assert.Equal(2, trace.ReturnedMail.Count);
        Assert.All(trace.ReturnedMail, r => Assert.Equal(("2 Test St, Riverbend, OR 97401", "returned-2026-11-05.csv"), (r.Address, r.FileName)));
        Assert.Equal(ReachBy.Email, (await city.RunAsync<SkipTrace, SkipTraceView>(s => s.ForAccountAsync(emailed.AccountNumber))).NoticesGoBy);
        var stopped = await city.RunAsync<SkipTrace, IReadOnlyList<MailStoppedView>>(s => s.MailStoppedAsync());
        Assert.Equal([emailed.AccountNumber, noEmail.AccountNumber], stopped.Select(s => s.AccountNumber).ToArray());

        // The bills of the run: the two returned addresses are held out of the print file.
        long runId;
        await using (var db = city.Fresh())
        {
            runId = await db.BillingRuns.Select(r => r.Id).SingleAsync();
        }

        var printed = await PrintAsync(city, runId);
        Assert.Equal((1, 2), (printed.Summary.Bills, printed.Summary.HeldForReturnedMail));
        Assert.Contains(plain.AccountNumber, printed.File, StringComparison.Ordinal);
        Assert.DoesNotContain($"|{noEmail.AccountNumber}|", printed.File, StringComparison.Ordinal);

        // The days after the due date: the reminder and the final notice of each account.
        var due = await city.FirstDueAsync(noEmail.AccountId);
        var held = 0;
        for (var date = due.AddDays(1); date <= due.AddDays(8); date = date.AddDays(1))
        {
            city.Clock.MoveTo(date);
            var day = date;
            await city.RunAsync<RunCollections, CollectionRunOutcome>(r => r.ExecuteAsync(day, "system"));
            held += (await city.RunAsync<ProduceNotices, NoticeProductionOutcome>(p => p.ExecuteAsync(day, "system"))).Held;
        }

        await using (var db = city.Fresh())
        {
            var notices = await db.CollectionNotices.Where(n => n.Kind != NoticeTemplates.OwnerNotice).ToListAsync();
            Assert.Equal(2, held);
            Assert.All(notices, n => Assert.Equal(
                n.AccountId == emailed.AccountId ? NoticeDelivery.Email : n.AccountId == noEmail.AccountId ? NoticeDelivery.Held : NoticeDelivery.Mail, n.Delivery));
            Assert.Equal(2, notices.Count(n => n.AccountId == noEmail.AccountId));
        }

        // A wrong number on the plain account's phone: the call marks it failed, the alert strip says so, a new number clears it.
        await city.RunAsync<ChangeCustomerContact, CustomerContact>(c => c.ExecuteAsync(plain.CustomerId,
            new CustomerContact("Customer 3", null, "541-555-0100", "3 Test St", "Riverbend", "OR", "97401"), "Phone given at the counter", "clerk"));
        var call = await city.RunAsync<LogContact, ContactOutcome>(l => l.ExecuteAsync(plain.AccountId, new ContactRequest(ContactKind.Call, "wrong-number", "Answered by a stranger"), "collector"));
        Assert.Contains("marked failed", call.Message, StringComparison.Ordinal);
        var alerts = await city.RunAsync<AccountAlertQueries, IReadOnlyList<AccountAlertView>>(a => a.ForAccountAsync(plain.AccountId));
        Assert.Contains(alerts, a => a.Kind == AccountAlerts.PhoneFailed && a.Text.StartsWith("Phone failed on ", StringComparison.Ordinal) && a.Text.Contains("wrong number (call by collector)", StringComparison.Ordinal));
        await city.RunAsync<ChangeCustomerContact, CustomerContact>(c => c.ExecuteAsync(plain.CustomerId,
            new CustomerContact("Customer 3", null, "541-555-0199", "3 Test St", "Riverbend", "OR", "97401"), "New number from the sister", "collector"));
        await using (var db = city.Fresh())
        {
            var customer = await db.Customers.SingleAsync(c => c.Id == plain.CustomerId);
            Assert.Equal((null, null), (customer.PhoneFailedOn, customer.PhoneFailedReason));
        }

        // The credit bureau's address for the customer with no e-mail, made the one on file: mail starts again.
        var skipTrace = (Func<Func<SkipTrace, Task<SkipTraceView>>, Task<SkipTraceView>>)(use => city.RunAsync(use));
        Assert.Equal("state", (await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<SkipTrace, AlternateContactView>(s => s.AddAlternateAsync(noEmail.AccountNumber,
            new AlternateContactRequest(ContactChannel.Address, "90 Pine Rd", "Riverbend", null, "97402", "Credit bureau", null), "collector")))).Field);
        var alternate = await city.RunAsync<SkipTrace, AlternateContactView>(s => s.AddAlternateAsync(noEmail.AccountNumber,
            new AlternateContactRequest(ContactChannel.Address, "90 Pine Rd", "Riverbend", "or", "97402", "Credit bureau", null), "collector"));
        Assert.Equal("90 Pine Rd, Riverbend, OR 97402", alternate.Display);
        Assert.Equal("value", (await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<SkipTrace, AlternateContactView>(s => s.AddAlternateAsync(noEmail.AccountNumber,
            new AlternateContactRequest(ContactChannel.Address, "90 PINE RD", "Riverbend", "OR", "97402", "Neighbor", null), "collector")))).Field);
        var promoted = await skipTrace(s => s.PromoteAsync(noEmail.AccountNumber, alternate.Id, "collector"));
        Assert.Equal(ReachBy.Mail, promoted.NoticesGoBy);
        Assert.Equal(("90 Pine Rd, Riverbend, OR 97402", null), (promoted.OnFile[0].Value, promoted.OnFile[0].Failure));
        var previous = promoted.Alternates.Single(a => a.Source == "Previous mailing address");
        Assert.Equal(("2 Test St, Riverbend, OR 97401", AlternateContactStatus.Failed, "No such number"), (previous.Display, previous.Status, previous.FailedReason));
        Assert.Equal(AlternateContactStatus.Promoted, promoted.Alternates.Single(a => a.Id == alternate.Id).Status);
        Assert.Equal("alternateId", (await Assert.ThrowsAsync<DomainException>(() => skipTrace(s => s.PromoteAsync(noEmail.AccountNumber, alternate.Id, "collector")))).Field);
        Assert.Equal([emailed.AccountNumber], (await city.RunAsync<SkipTrace, IReadOnlyList<MailStoppedView>>(s => s.MailStoppedAsync())).Select(s => s.AccountNumber).ToArray());
        var reprinted = (await PrintAsync(city, runId)).Summary;
        Assert.Equal((2, 1), (reprinted.Bills, reprinted.HeldForReturnedMail));

        // Marking by hand: a reason is needed, a second mark is refused, and each change is in the audit trail.
        Assert.Equal("reason", (await Assert.ThrowsAsync<DomainException>(() => skipTrace(s => s.MarkFailedAsync(plain.AccountNumber, ContactChannel.Address, " ", "clerk")))).Field);
        await skipTrace(s => s.MarkFailedAsync(plain.AccountNumber, ContactChannel.Address, "Returned: vacant", "clerk"));
        Assert.Equal("channel", (await Assert.ThrowsAsync<DomainException>(() => skipTrace(s => s.MarkFailedAsync(plain.AccountNumber, ContactChannel.Address, "Again", "clerk")))).Field);
        Assert.Equal("channel", (await Assert.ThrowsAsync<DomainException>(() => skipTrace(s => s.MarkFailedAsync(plain.AccountNumber, ContactChannel.Email, "Bounced", "clerk")))).Field);
        var cleared = await skipTrace(s => s.ClearFailureAsync(plain.AccountNumber, ContactChannel.Address, "Customer confirmed the address", "clerk"));
        Assert.Null(cleared.OnFile[0].Failure);
        await using (var db = city.Fresh())
        {
            var actions = await db.AuditEntries.Where(a => a.EntityType == "Customer").Select(a => a.Action).ToListAsync();
            Assert.Contains("Make alternate address the one on file", actions);
            Assert.Contains("Clear address failure", actions);
            Assert.Equal(3, actions.Count(a => a == "Mark address failed"));
            Assert.Equal(1, actions.Count(a => a == "Mark phone failed"));
        }
    }

    private static byte[] Csv(params string[] lines) => Encoding.UTF8.GetBytes("account_number,returned_on,reason\n" + string.Join('\n', lines) + "\n");

    private static async Task<(PrintExportSummary Summary, string File)> PrintAsync(PaymentCity city, long runId)
    {
        await using var writer = new StringWriter();
        var summary = await city.RunAsync<BillPrintExport, PrintExportSummary?>(e => e.WriteAsync(runId, writer));
        return (summary!, writer.ToString());
    }
}
