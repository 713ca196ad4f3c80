using Microsoft.EntityFrameworkCore;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Portal;
using OpenCIS.Tests.Collections;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Letters;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// Notices and letters in the customer's language, on both databases: a customer who chose Spanish in the portal gets their
/// notices and letters from the Spanish templates, with Spanish dates and a Spanish e-mail; a kind the city has not
/// translated comes in English; an owner is written to in English; every other customer reads English.
/// </summary>
public sealed class NoticeLanguageTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_customer_who_chose_Spanish_gets_Spanish_notices_and_letters_where_the_city_has_translated_them(TestProvider provider)
    {
        TestDatabases.Require(provider, "notices in the customer's language");
        await using var city = await CollectionNoticeTests.StartAsync(provider, "notices in the customer's language");
        long[] ids = [.. city.Accounts.Select(a => a.AccountId)];

        // The city translated the reminder, the owner notice and the final-bill letter; not the final notice.
        foreach (var kind in new[] { NoticeTemplates.Reminder, NoticeTemplates.OwnerNotice, NoticeTemplates.FinalBill })
        {
            var imported = await city.RunAsync<ImportNoticeTemplate, NoticeTemplateImportOutcome>(i => i.ExecuteAsync(kind, "es", $"es/{kind}.liquid", NoticeTemplateTests.Spanish(kind), "supervisor"));
            Assert.True(imported.Imported, imported.Message);
            Assert.Equal(1, imported.Version);
        }

        // An unknown language is refused by name, and nothing is stored.
        var french = await city.RunAsync<ImportNoticeTemplate, NoticeTemplateImportOutcome>(i => i.ExecuteAsync(NoticeTemplates.Reminder, "fr", "fr/reminder.liquid", "Bonjour", "supervisor"));
        Assert.Equal((false, "language"), (french.Imported, Assert.Single(french.Errors).Field));

        DateOnly due;
        await using (var db = city.Fresh())
        {
            due = (await db.Bills.FirstAsync(b => b.AccountId == ids[0])).DueDate;
            // The first account's customer (who takes notices by e-mail) chose Spanish in the portal; the second's login is
            // English; a Spanish login whose address was never verified does not count.
            Link(db, ids[0], "es", verified: true, city.Clock.Now);
            Link(db, ids[1], "en", verified: true, city.Clock.Now);
            Link(db, ids[1], "es", verified: false, city.Clock.Now);
            // The third account's premise is tenant-occupied, and it too is read in Spanish: its owner is written to in English.
            Link(db, ids[2], "es", verified: true, city.Clock.Now);
            db.AccountProtections.Add(AccountProtection.Enter(ids[2], ProtectionKind.TenantOccupied, due.AddDays(-30), null, null, null, "Harbor Rentals LLC", "9 Dock St, Riverbend, OR 97401", "rental", "clerk", city.Clock.Now));
            await db.SaveChangesAsync();
        }

        for (var date = due.AddDays(1); date <= due.AddDays(8); date = date.AddDays(1))
        {
            city.Clock.MoveTo(date);
            var day = date;
            await city.RunAsync<RunCollections, CollectionRunOutcome>(r => r.ExecuteAsync(day, "system"));
            var written = await city.RunAsync<ProduceNotices, NoticeProductionOutcome>(p => p.ExecuteAsync(day, "system"));
            Assert.Equal(0, written.WithoutTemplate);
        }

        await using (var db = city.Fresh())
        {
            var notices = await db.CollectionNotices.OrderBy(n => n.Id).ToListAsync();
            var languages = await db.NoticeTemplates.ToDictionaryAsync(t => t.Id, t => t.Language);
            string LanguageOf(long account, string kind) => languages[notices.Single(n => n.AccountId == account && n.Kind == kind).TemplateId];
            Assert.Equal(("es", "en", "es"), (LanguageOf(ids[0], NoticeTemplates.Reminder), LanguageOf(ids[1], NoticeTemplates.Reminder), LanguageOf(ids[2], NoticeTemplates.Reminder)));
            // Not translated: the final notice is English for everyone; and the owner's copy is English though a Spanish one exists.
            Assert.All(ids, id => Assert.Equal("en", LanguageOf(id, NoticeTemplates.FinalNotice)));
            Assert.Equal("en", LanguageOf(ids[2], NoticeTemplates.OwnerNotice));

            var spanish = notices.Single(n => n.AccountId == ids[0] && n.Kind == NoticeTemplates.Reminder);
            Assert.Contains("RECORDATORIO DE PAGO VENCIDO", spanish.Text, StringComparison.Ordinal);
            Assert.Contains($"Al {BillText.LongDate("es", spanish.BusinessDate)},", spanish.Text, StringComparison.Ordinal);
            Assert.Matches(@"Al \d{1,2} de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre) de 20\d\d,", spanish.Text);
            var english = notices.Single(n => n.AccountId == ids[1] && n.Kind == NoticeTemplates.Reminder);
            Assert.Contains("PAST DUE REMINDER", english.Text, StringComparison.Ordinal);
            Assert.Contains($"As of {spanish.BusinessDate.ToString("MMMM d, yyyy", System.Globalization.CultureInfo.InvariantCulture)},", english.Text, StringComparison.Ordinal);
            // The English final notice to the Spanish reader carries English dates, as its template is written.
            var final = notices.Single(n => n.AccountId == ids[0] && n.Kind == NoticeTemplates.FinalNotice);
            Assert.Contains($"before {ProduceNotices.LongDate(final.EarliestDisconnectOn!.Value)}.", final.Text, StringComparison.Ordinal);

            // The Spanish customer's e-mail is in Spanish: its subject and its words around the notice.
            var mail = await db.OutgoingMail.SingleAsync(m => m.DedupeKey == ProduceNotices.DedupeKey(spanish.Id));
            Assert.EndsWith($": recordatorio de pago vencido, cuenta {city.Accounts[0].AccountNumber}", mail.Subject, StringComparison.Ordinal);
            Assert.EndsWith("El aviso va adjunto en PDF.\n", mail.BodyText, StringComparison.Ordinal);
            var finalMail = await db.OutgoingMail.SingleAsync(m => m.DedupeKey == ProduceNotices.DedupeKey(final.Id));
            Assert.EndsWith($"final notice before disconnection, account {city.Accounts[0].AccountNumber}", finalMail.Subject, StringComparison.Ordinal);
        }

        // Letters too: the final-bill letter in Spanish (its subject, its dates) to the Spanish reader, in English to the others.
        var stopOn = due.AddDays(20);
        async Task<Storage.Letters.Letter> FinalBillLetterAsync(long accountId) =>
            (await city.RunAsync<SendLetter, Storage.Letters.Letter?>(s => s.AddAsync(new LetterToSend(accountId, NoticeTemplates.FinalBill, $"test-final-bill:{accountId}",
                language => new Dictionary<string, string>
                {
                    ["service.stop_date"] = ProduceNotices.LongDate(stopOn, language),
                    ["bill.amount_due"] = "$41.20",
                    ["bill.due_date"] = ProduceNotices.LongDate(stopOn.AddDays(21), language),
                }), stopOn, "clerk", city.Clock.Now)))!;
        var spanishLetter = await FinalBillLetterAsync(ids[0]);
        Assert.Equal($"Su factura final, cuenta {city.Accounts[0].AccountNumber}", spanishLetter.Subject);
        Assert.Contains($"terminó el\n{BillText.LongDate("es", stopOn)}.", spanishLetter.Text, StringComparison.Ordinal);
        Assert.Contains("SU FACTURA FINAL", spanishLetter.Text, StringComparison.Ordinal);
        var englishLetter = await FinalBillLetterAsync(ids[1]);
        Assert.Equal($"Your final bill, account {city.Accounts[1].AccountNumber}", englishLetter.Subject);
        Assert.Contains($"ended on\n{ProduceNotices.LongDate(stopOn)}.", englishLetter.Text, StringComparison.Ordinal);

        var listed = await city.RunAsync<LetterQueries, IReadOnlyList<LetterListing>>(q => q.ForAccountAsync(ids[0]));
        Assert.Equal("es", Assert.Single(listed).Language);
    }

    private static void Link(Storage.OpenCisDbContext db, long accountId, string language, bool verified, DateTimeOffset now)
    {
        var email = $"{language}-{accountId}-{verified}@example.com";
        var user = new PortalUser
        {
            UserName = email,
            NormalizedUserName = email.ToUpperInvariant(),
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            EmailConfirmed = verified,
            DisplayName = "Portal customer",
            Language = language,
            CreatedAt = now,
        };
        db.PortalUsers.Add(user);
        db.PortalUserAccounts.Add(new PortalUserAccount { PortalUserId = user.Id, AccountId = accountId, Proof = "test", LinkedAt = now });
    }
}
