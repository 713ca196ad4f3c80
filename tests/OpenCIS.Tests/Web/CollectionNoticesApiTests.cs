using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Customers;
using OpenCIS.Storage;
using OpenCIS.Storage.Collections;
using OpenCIS.Tests.Collections;
using OpenCIS.UseCases.Collections;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Notice templates and notices through the API: only a Supervisor adds a version, a bad template is a 400
/// naming the line and field with nothing stored; an account's notices list with their PDFs, and the day's
/// print-ready PDF and print file.
/// </summary>
public sealed class CollectionNoticesApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(OpenCisWebFactory.Today.UtcDateTime);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string kind, string text, string? language = null)
    {
        using var content = new StringContent(text, Encoding.UTF8, "text/plain");
        return await client.PostAsync(new Uri($"/api/collections/notice-templates/{kind}{(language is null ? "" : $"?language={language}")}", UriKind.Relative), content);
    }

    /// <summary>A notice on the account as the run would have written it, from the latest template of its kind.</summary>
    public static async Task<(long NoticeId, long AccountId)> WriteNoticeAsync(IServiceProvider services, string accountNumber, string kind, NoticeDelivery delivery = NoticeDelivery.Mail)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var template = db.NoticeTemplates.Where(t => t.Kind == kind && t.Language == "en").OrderByDescending(t => t.Version).FirstOrDefault();
        if (template is null)
        {
            await scope.ServiceProvider.GetRequiredService<ImportNoticeTemplate>().ExecuteAsync(kind, $"{kind}.liquid", NoticeTemplateTests.Default(kind), "supervisor");
            template = db.NoticeTemplates.Where(t => t.Kind == kind && t.Language == "en").OrderByDescending(t => t.Version).First();
        }

        var accountId = db.Accounts.Single(a => a.AccountNumber == accountNumber).Id;
        var eventId = 900_000 + db.CollectionNotices.Count() + (accountId * 10);
        var notice = CollectionNotice.Create(accountId, eventId, Today, kind, "Pat Customer", "12 Oak St\nRiverbend, OR 97401", delivery, null, 31_250, Today.AddDays(10),
            $"City of Riverbend Utilities\n\nFINAL NOTICE\n\nTo avoid disconnection, pay $312.50 before {ProduceNotices.LongDate(Today.AddDays(10))}.\n", template, OpenCisWebFactory.Today);
        db.CollectionNotices.Add(notice);
        await db.SaveChangesAsync();
        return (notice.Id, accountId);
    }

    [Fact]
    public async Task A_supervisor_adds_template_versions_a_bad_one_is_refused_by_line_and_a_clerk_reads_notices_and_their_pdfs()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        var text = NoticeTemplateTests.Default(NoticeTemplates.Reminder);

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(clerk, "reminder", text)).StatusCode);

        var bad = await PostAsync(supervisor, "reminder", text.Replace("{{ past_due.amount }}", "{{ past_due.amout }}", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using (var json = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()))
        {
            var problem = Assert.Single(json.RootElement.GetProperty("problems").EnumerateArray());
            Assert.Equal("past_due.amout", problem.GetProperty("field").GetString());
            Assert.Equal(text.Split('\n').ToList().FindIndex(l => l.Contains("{{ past_due.amount }}", StringComparison.Ordinal)) + 1, problem.GetProperty("line").GetInt32());
        }

        Assert.DoesNotContain("\"reminder\"", await clerk.GetStringAsync(new Uri("/api/collections/notice-templates", UriKind.Relative)), StringComparison.Ordinal);

        var created = await PostAsync(supervisor, "reminder", text);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/collections/notice-templates/reminder?version=1&language=en", created.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(supervisor, "reminder", text)).StatusCode);
        Assert.Equal(text, await clerk.GetStringAsync(new Uri("/api/collections/notice-templates/reminder", UriKind.Relative)));
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(supervisor, "postcard", text)).StatusCode);

        // Its Spanish translation is a version of its own, numbered apart; the English is still what an unqualified read gives.
        var spanish = OpenCIS.Tests.Collections.NoticeTemplateTests.Spanish(NoticeTemplates.Reminder);
        var translated = await PostAsync(supervisor, "reminder", spanish, "es");
        Assert.Equal(HttpStatusCode.Created, translated.StatusCode);
        Assert.Equal("/api/collections/notice-templates/reminder?version=1&language=es", translated.Headers.Location?.ToString());
        Assert.Equal(spanish, await clerk.GetStringAsync(new Uri("/api/collections/notice-templates/reminder?language=es", UriKind.Relative)));
        Assert.Equal(text, await clerk.GetStringAsync(new Uri("/api/collections/notice-templates/reminder", UriKind.Relative)));
        var versions = await clerk.GetFromJsonAsync<JsonElement>(new Uri("/api/collections/notice-templates", UriKind.Relative));
        Assert.Equal(["en", "es"], versions.EnumerateArray().Where(v => v.GetProperty("kind").GetString() == "reminder").Select(v => v.GetProperty("language").GetString()));
        var french = await PostAsync(supervisor, "reminder", spanish, "fr");
        Assert.Equal(HttpStatusCode.BadRequest, french.StatusCode);
        using (var json = JsonDocument.Parse(await french.Content.ReadAsStringAsync()))
        {
            Assert.Equal("language", Assert.Single(json.RootElement.GetProperty("problems").EnumerateArray()).GetProperty("field").GetString());
        }

        // The account's notices, each with its PDF; the day's print-ready PDF and print file.
        var number = AccountNumbers.Create(7);
        var (noticeId, accountId) = await WriteNoticeAsync(factory.Services, number, NoticeTemplates.FinalNotice);
        var listed = await clerk.GetFromJsonAsync<JsonElement>(new Uri($"/api/accounts/{accountId}/notices", UriKind.Relative));
        var row = listed.EnumerateArray().Single(n => n.GetProperty("id").GetInt64() == noticeId);
        Assert.Equal(("final_notice", "Mail", "$312.50"), (row.GetProperty("kind").GetString(), row.GetProperty("delivery").GetString(), row.GetProperty("pastDue").GetString()));

        var pdf = await clerk.GetAsync(new Uri($"/api/accounts/{accountId}/notices/{noticeId}.pdf", UriKind.Relative));
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync())[..4], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await clerk.GetAsync(new Uri($"/api/accounts/{accountId + 1}/notices/{noticeId}.pdf", UriKind.Relative))).StatusCode);

        var day = await clerk.GetAsync(new Uri($"/api/collections/notices/print.pdf?date={Today:yyyy-MM-dd}", UriKind.Relative));
        Assert.Equal("application/pdf", day.Content.Headers.ContentType?.MediaType);
        var file = await clerk.GetStringAsync(new Uri($"/api/collections/notices/print-file?date={Today:yyyy-MM-dd}", UriKind.Relative));
        var records = file.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("H|1|OPENCIS-NOTICES|", records[0], StringComparison.Ordinal);
        Assert.Contains(records, r => r.StartsWith($"N|{noticeId}|{number}|final_notice|Pat Customer|12 Oak St|Riverbend, OR 97401|", StringComparison.Ordinal));
        var trailer = records[^1].Split('|');
        Assert.Equal(("T", records.Count(r => r.StartsWith("N|", StringComparison.Ordinal)), records.Length), (trailer[0], int.Parse(trailer[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(trailer[2], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task The_days_door_hangers_print_as_one_pdf_for_the_field_and_never_in_the_print_file()
    {
        var clerk = await factory.SignedInClientAsync("Clerk");
        var number = AccountNumbers.Create(8);
        var (hangerId, accountId) = await WriteNoticeAsync(factory.Services, number, NoticeTemplates.DoorHanger, NoticeDelivery.Field);

        var listed = await clerk.GetFromJsonAsync<JsonElement>(new Uri($"/api/accounts/{accountId}/notices", UriKind.Relative));
        var row = listed.EnumerateArray().Single(n => n.GetProperty("id").GetInt64() == hangerId);
        Assert.Equal(("door_hanger", "Field"), (row.GetProperty("kind").GetString(), row.GetProperty("delivery").GetString()));

        var hangers = await clerk.GetAsync(new Uri($"/api/collections/notices/door-hangers.pdf?date={Today:yyyy-MM-dd}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, hangers.StatusCode);
        Assert.Equal("application/pdf", hangers.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"door-hangers-{Today:yyyy-MM-dd}.pdf", hangers.Content.Headers.ContentDisposition?.FileName);
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(await hangers.Content.ReadAsByteArrayAsync())[..4], StringComparison.Ordinal);

        var file = await clerk.GetStringAsync(new Uri($"/api/collections/notices/print-file?date={Today:yyyy-MM-dd}", UriKind.Relative));
        Assert.DoesNotContain(file.Split("\r\n"), r => r.StartsWith($"N|{hangerId}|", StringComparison.Ordinal));

        var field = await factory.SignedInClientAsync("Field");
        Assert.Equal(HttpStatusCode.Forbidden, (await field.GetAsync(new Uri($"/api/collections/notices/door-hangers.pdf?date={Today:yyyy-MM-dd}", UriKind.Relative))).StatusCode);
        var crew = await field.GetAsync(new Uri($"/api/field/door-hangers.pdf?date={Today:yyyy-MM-dd}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, crew.StatusCode);
        Assert.Equal("application/pdf", crew.Content.Headers.ContentType?.MediaType);
    }
}
