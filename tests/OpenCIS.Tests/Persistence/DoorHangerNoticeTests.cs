using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Collections;
using OpenCIS.Storage.Collections;
using OpenCIS.UseCases.Collections;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// Door hangers as notices, on both databases: one notice per DoorHanger event, rendered from the door-hanger
/// template, delivered in the field (never e-mailed, even to a customer who chose e-mail, and never in the
/// mailed PDF or the print-vendor file), written once however often the day is produced, and listed for the
/// crew by route and route order.
/// </summary>
public sealed class DoorHangerNoticeTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Door_hangers_are_written_once_for_the_field_by_route_and_never_mailed(TestProvider provider)
    {
        TestDatabases.Require(provider, "door hangers");
        // The first customer chose e-mail: their door hanger is still hung at the door, not e-mailed.
        await using var city = await CollectionNoticeTests.StartAsync(provider, "door hangers");
        long[] ids = [.. city.Accounts.Select(a => a.AccountId)];
        DateOnly due;
        await using (var db = city.Fresh())
        {
            due = (await db.Bills.FirstAsync(b => b.AccountId == ids[0])).DueDate;

            // The walk: route A stop 1 is the third account, stop 2 the first; route B the second.
            var accounts = await db.Accounts.Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id);
            accounts[ids[2]].PlaceOnRoute("A", 1);
            accounts[ids[0]].PlaceOnRoute("A", 2);
            accounts[ids[1]].PlaceOnRoute("B", 1);
            await db.SaveChangesAsync();
        }

        var hangerDays = new List<DateOnly>();
        for (var date = due.AddDays(1); date <= due.AddDays(20); date = date.AddDays(1))
        {
            city.Clock.MoveTo(date);
            var day = date;
            await city.RunAsync<RunCollections, CollectionRunOutcome>(r => r.ExecuteAsync(day, "system"));
            var written = await city.RunAsync<ProduceNotices, NoticeProductionOutcome>(p => p.ExecuteAsync(day, "system"));
            Assert.Equal(0, written.WithoutTemplate);
            if (written.DoorHangers > 0)
            {
                hangerDays.Add(day);
                Assert.Contains("door hangers for the field", written.Message, StringComparison.Ordinal);
            }

            var again = await city.RunAsync<ProduceNotices, NoticeProductionOutcome>(p => p.ExecuteAsync(day, "system"));
            Assert.Equal((0, 0, written.Created), (again.Created, again.DoorHangers, again.AlreadyProduced));
        }

        var hangerDay = Assert.Single(hangerDays);
        await using (var db = city.Fresh())
        {
            var events = await db.CollectionEvents.Where(e => e.Action == CollectionAction.DoorHanger).ToListAsync();
            Assert.Equal(3, events.Count);
            var hangers = await db.CollectionNotices.Where(n => n.Kind == NoticeTemplates.DoorHanger).ToListAsync();
            Assert.Equal(events.Select(e => e.Id).Order(), hangers.Select(n => n.CollectionEventId).Order());
            Assert.All(hangers, n => Assert.Equal((NoticeDelivery.Field, (string?)null, hangerDay), (n.Delivery, n.EmailAddress, n.BusinessDate)));
            Assert.All(hangers, n => Assert.Contains("48-HOUR DISCONNECTION NOTICE", n.Text, StringComparison.Ordinal));
            var first = hangers.Single(n => n.AccountId == ids[0]);
            Assert.Contains(city.Accounts[0].AccountNumber, first.Text, StringComparison.Ordinal);

            // Nothing of a door hanger goes by e-mail: the only mail is the first customer's reminder and final notice.
            var hangerKeys = hangers.Select(n => ProduceNotices.DedupeKey(n.Id)).ToList();
            Assert.DoesNotContain(await db.OutgoingMail.Select(m => m.DedupeKey).ToListAsync(), hangerKeys.Contains);
        }

        // Not in the print-vendor file or the mailed PDF of their day.
        using var file = new MemoryStream();
        await city.RunAsync<NoticeQueries, NoticePrintFileSummary>(q => q.WritePrintFileAsync(hangerDay, file));
        Assert.DoesNotContain(NoticeTemplates.DoorHanger, System.Text.Encoding.UTF8.GetString(file.ToArray()), StringComparison.Ordinal);

        // The crew's stack: in walking order, each naming its stop, one page each.
        var stack = await city.RunAsync<NoticeQueries, IReadOnlyList<NoticeToPrint>>(q => q.DoorHangersAsync(hangerDay));
        Assert.Equal([city.Accounts[2].AccountNumber, city.Accounts[0].AccountNumber, city.Accounts[1].AccountNumber], stack.Select(s => s.AccountNumber));
        Assert.Equal(["route A, stop 1", "route A, stop 2", "route B, stop 1"], stack.Select(s => s.Stop));
        var pdf = await city.RunAsync<NoticeQueries, NoticePdf>(q => q.DoorHangersPdfAsync(hangerDay));
        Assert.Equal(3, pdf.Pages);

        // The account's notices list shows its door hanger.
        var listed = await city.RunAsync<NoticeQueries, IReadOnlyList<NoticeListing>>(q => q.ForAccountAsync(ids[0]));
        Assert.Equal("Field", listed.Single(n => n.Kind == NoticeTemplates.DoorHanger).Delivery);
    }
}
