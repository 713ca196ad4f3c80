using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Collections;
using OpenCIS.Tests.Collections;
using OpenCIS.Tests.Mail;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Mail;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// The notices of the daily run, on both databases: written once per notice event (a date produced again adds
/// nothing), with the dates and amounts the run decided printed in them; e-mailed (the PDF attached) only to
/// the customer who chose e-mail, and arriving at a real SMTP server; the others in the day's print-ready PDF
/// and the print-vendor file, whose trailer counts them.
/// </summary>
public sealed class CollectionNoticeTests
{
    /// <summary>
    /// Three billed accounts under the demo policy with every notice template imported; the first account's
    /// customer chose e-mail for notices (pat.customer@example.com).
    /// </summary>
    internal static async Task<PaymentCity> StartAsync(TestProvider provider, string purpose)
    {
        var city = await PaymentCity.StartUnderPolicyAsync(provider, purpose, accounts: 3);
        foreach (var kind in NoticeTemplates.Kinds)
        {
            var imported = await city.RunAsync<ImportNoticeTemplate, NoticeTemplateImportOutcome>(i => i.ExecuteAsync(kind, $"{kind}.liquid", NoticeTemplateTests.Default(kind), "supervisor"));
            Assert.True(imported.Imported, imported.Message);
        }

        await using var db = city.Fresh();
        var customer = await db.Customers.SingleAsync(c => c.Id == city.Accounts[0].CustomerId);
        customer.UpdateContact(customer.DisplayName, "pat.customer@example.com", null, customer.MailingLine1, customer.MailingCity, customer.MailingState, customer.MailingZip);
        customer.ChooseNoticeDelivery(true);
        await db.SaveChangesAsync();
        return city;
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Notices_are_written_once_per_event_emailed_to_those_who_chose_it_and_counted_in_the_print_file(TestProvider provider)
    {
        TestDatabases.Require(provider, "collection notices");
        await using var city = await StartAsync(provider, "collection notices");
        long[] ids = [.. city.Accounts.Select(a => a.AccountId)];
        DateOnly due;
        await using (var db = city.Fresh())
        {
            due = (await db.Bills.FirstAsync(b => b.AccountId == ids[0])).DueDate;

            // The third account's premise is tenant-occupied, so its owner is noticed too.
            db.AccountProtections.Add(AccountProtection.Enter(ids[2], ProtectionKind.TenantOccupied, due.AddDays(-30), null, null, null, "Harbor Rentals LLC", "9 Dock St, Riverbend, OR 97401", "rental", "clerk", city.Clock.Now));
            await db.SaveChangesAsync();
        }

        var last = due.AddDays(8);
        for (var date = due.AddDays(1); date <= last; date = date.AddDays(1))
        {
            city.Clock.MoveTo(date);
            var day = date;
            await city.RunAsync<RunCollections, CollectionRunOutcome>(r => r.ExecuteAsync(day, "system"));
            var written = await city.RunAsync<ProduceNotices, NoticeProductionOutcome>(p => p.ExecuteAsync(day, "system"));
            Assert.Equal(0, written.WithoutTemplate);

            // Produced again, the day adds nothing.
            var again = await city.RunAsync<ProduceNotices, NoticeProductionOutcome>(p => p.ExecuteAsync(day, "system"));
            Assert.Equal((0, written.Created), (again.Created, again.AlreadyProduced));
        }

        DateOnly finalOn;
        await using (var db = city.Fresh())
        {
            var events = await db.CollectionEvents.Where(e => e.Action == CollectionAction.Notice || e.Action == CollectionAction.OwnerNotice).ToListAsync();
            var notices = await db.CollectionNotices.OrderBy(n => n.Id).ToListAsync();
            Assert.Equal(events.Select(e => e.Id).Order(), notices.Select(n => n.CollectionEventId).Order());
            Assert.All(notices, n => Assert.Equal(events.Single(e => e.Id == n.CollectionEventId).BusinessDate, n.BusinessDate));

            // Each account got its reminder and its final notice; the tenant-occupied one also the owner's copy, addressed to the owner.
            Assert.All(ids, id => Assert.Equal([NoticeTemplates.Reminder, NoticeTemplates.FinalNotice], notices.Where(n => n.AccountId == id && n.Kind != NoticeTemplates.OwnerNotice).Select(n => n.Kind)));
            var owner = Assert.Single(notices, n => n.Kind == NoticeTemplates.OwnerNotice);
            Assert.Equal((ids[2], "Harbor Rentals LLC", "9 Dock St\nRiverbend, OR 97401"), (owner.AccountId, owner.RecipientName, owner.RecipientAddress));

            // The final notice prints the earliest disconnect date the run decided and the amount to pay to avoid it.
            var final = notices.First(n => n.Kind == NoticeTemplates.FinalNotice && n.AccountId == ids[1]);
            finalOn = final.BusinessDate;
            var standing = await db.AccountCollections.SingleAsync(a => a.AccountId == ids[1]);
            Assert.Equal(standing.FinalNoticeOn, final.BusinessDate);
            Assert.Equal(standing.EarliestDisconnectOn, final.EarliestDisconnectOn);
            var earliest = ProduceNotices.LongDate(final.EarliestDisconnectOn!.Value);
            var amount = Money.FromCents(final.PastDueCents).ToString();
            Assert.True(final.PastDueCents > 0);
            Assert.Contains($"To avoid disconnection, pay {amount} before {earliest}.", final.Text, StringComparison.Ordinal);
            Assert.Contains(city.Accounts[1].AccountNumber, final.Text, StringComparison.Ordinal);

            // E-mail only for the customer who chose it; each e-mailed notice queued once, under its notice's key.
            Assert.All(notices, n => Assert.Equal(n.AccountId == ids[0] ? NoticeDelivery.Email : NoticeDelivery.Mail, n.Delivery));
            var mail = await db.OutgoingMail.OrderBy(m => m.Id).ToListAsync();
            Assert.Equal(notices.Where(n => n.Delivery == NoticeDelivery.Email).Select(n => ProduceNotices.DedupeKey(n.Id)), mail.Select(m => m.DedupeKey));
            Assert.All(mail, m => Assert.Equal("pat.customer@example.com", m.ToAddress));
        }

        // The queued mail reaches a real SMTP server, with the notice's PDF attached.
        await using (var smtp = TestSmtpServer.Start())
        {
            await using var services = new ServiceCollection()
                .AddSingleton<TimeProvider>(city.Clock)
                .AddOpenCisUseCases(new ConfigurationBuilder().AddConfiguration(city.Configuration()).AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["OPENCIS_SMTP_HOST"] = "127.0.0.1",
                    ["OPENCIS_SMTP_PORT"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["OPENCIS_SMTP_SECURITY"] = "none",
                    ["OPENCIS_SMTP_FROM"] = "billing@riverbend.example",
                    ["OPENCIS_MAIL_OUTBOX"] = Path.GetTempPath(),
                }).Build())
                .BuildServiceProvider();
            await using var scope = services.CreateAsyncScope();
            var sent = await scope.ServiceProvider.GetRequiredService<SendQueuedMail>().ExecuteAsync();
            Assert.Equal((2, 0), (sent.Sent, sent.Failed));
            Assert.Equal(2, smtp.Received.Count);
            var finalMail = smtp.Received.Single(m => (m.Subject ?? "").Contains("final notice", StringComparison.Ordinal));
            Assert.Equal("pat.customer@example.com", ((MailboxAddress)finalMail.To.Single()).Address);
            Assert.Contains("To avoid disconnection, pay", finalMail.TextBody ?? "", StringComparison.Ordinal);
            var attachment = Assert.IsType<MimePart>(Assert.Single(finalMail.Attachments));
            using var content = new MemoryStream();
            await attachment.Content!.DecodeToAsync(content);
            Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(content.ToArray(), 0, 4), StringComparison.Ordinal);
        }

        // The print file of the final notices' day: the mailed notices only, counted by the trailer.
        using var file = new MemoryStream();
        var summary = await city.RunAsync<NoticeQueries, NoticePrintFileSummary>(q => q.WritePrintFileAsync(finalOn, file));
        var records = System.Text.Encoding.UTF8.GetString(file.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(r => r.Split('|')).ToList();
        Assert.Equal(["H", "1", "OPENCIS-NOTICES", finalOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)], records[0].Take(4));
        var trailer = records[^1];
        Assert.Equal("T", trailer[0]);
        var noticeRecords = records.Where(r => r[0] == "N").ToList();
        Assert.Equal(3, noticeRecords.Count);
        Assert.Equal(noticeRecords.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), trailer[1]);
        Assert.Equal(records.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), trailer[2]);
        Assert.Equal((3, records.Count), (summary.Notices, summary.Records));
        Assert.DoesNotContain(noticeRecords, r => r[2] == city.Accounts[0].AccountNumber);
        Assert.All(noticeRecords, n => Assert.Equal(int.Parse(n[11], System.Globalization.CultureInfo.InvariantCulture), records.Count(r => r[0] == "X" && r[1] == n[1])));

        var pdf = await city.RunAsync<NoticeQueries, NoticePdf>(q => q.DayPdfAsync(finalOn));
        Assert.True(pdf.Pages >= 3, $"{pdf.Pages} pages for 3 notices");
    }
}
