using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Storage;
using OpenCIS.Web.Api;

namespace OpenCIS.Tests.Web;

public sealed class MailBatchApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The stubs of the latest bills of demo accounts that owe money and take checks.</summary>
    internal static async Task<List<ScanLine>> StubsAsync(OpenCisWebFactory factory, int count, int skip = 0)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var accounts = await db.Accounts.AsNoTracking().Where(a => a.Status == AccountStatus.Active && !a.CashOnly).ToDictionaryAsync(a => a.Id, a => a.AccountNumber);
        var bills = await db.Bills.AsNoTracking().Where(b => b.AmountDueCents > 0).ToListAsync();
        return bills.Where(b => accounts.ContainsKey(b.AccountId)).GroupBy(b => b.AccountId).OrderBy(g => g.Key).Skip(skip).Take(count)
            .Select(g => g.OrderByDescending(b => b.Id).First())
            .Select(b => ScanLine.For(accounts[b.AccountId], b.Id, Money.FromCents(b.AmountDueCents), b.DueDate)).ToList();
    }

    [Fact]
    public async Task A_clerk_opens_a_batch_keys_stubs_by_scan_line_and_it_posts_once()
    {
        var client = await factory.SignedInClientAsync("Clerk");
        var stubs = await StubsAsync(factory, 2, skip: 5);
        var total = stubs[0].AmountDue + Money.FromCents(500);

        var opened = await (await client.PostAsJsonAsync("/api/payments/mail-batches", new OpenMailBatchBody(2, total.ToPlainString()))).Content.ReadFromJsonAsync<MailBatchResponse>(Json);
        var bad = stubs[1].Digits[..^1] + (char)('0' + ((stubs[1].Digits[^1] - '0' + 1) % 10));
        var refused = await client.PostAsJsonAsync($"/api/payments/mail-batches/{opened!.Id}/items", new MailBatchItemBody(bad, null, null));
        await client.PostAsJsonAsync($"/api/payments/mail-batches/{opened.Id}/items", new MailBatchItemBody(stubs[0].ToString(), null, "2001"));
        var twice = await client.PostAsJsonAsync($"/api/payments/mail-batches/{opened.Id}/items", new MailBatchItemBody(stubs[0].Digits, null, "2001"));
        var mistaken = await (await client.PostAsJsonAsync($"/api/payments/mail-batches/{opened.Id}/items", new MailBatchItemBody(stubs[1].Digits, null, null))).Content.ReadFromJsonAsync<MailBatchResponse>(Json);
        var removed = await (await client.DeleteAsync(new Uri($"/api/payments/mail-batches/{opened.Id}/items/{mistaken!.Items[^1].Id}", UriKind.Relative))).Content.ReadFromJsonAsync<MailBatchResponse>(Json);
        var outOfBalance = await client.PostAsync(new Uri($"/api/payments/mail-batches/{opened.Id}/post", UriKind.Relative), null);
        var keyed = await (await client.PostAsJsonAsync($"/api/payments/mail-batches/{opened.Id}/items", new MailBatchItemBody(stubs[1].Digits, "5.00", null))).Content.ReadFromJsonAsync<MailBatchResponse>(Json);
        var posted = await (await client.PostAsync(new Uri($"/api/payments/mail-batches/{opened.Id}/post", UriKind.Relative), null)).Content.ReadFromJsonAsync<MailBatchPostResponse>(Json);
        var retried = await (await client.PostAsync(new Uri($"/api/payments/mail-batches/{opened.Id}/post", UriKind.Relative), null)).Content.ReadFromJsonAsync<MailBatchPostResponse>(Json);
        var shown = await client.GetFromJsonAsync<MailBatchResponse>($"/api/payments/mail-batches/{opened.Id}", Json);

        Assert.Equal(("Open", 2, total.ToPlainString(), 0), (opened.Status, opened.ControlCount, opened.ControlTotal, opened.KeyedCount));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadAsStringAsync();
        Assert.Contains("scanLine", problem, StringComparison.Ordinal);
        Assert.Contains("check digit", problem, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Contains("already item 1", await twice.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, mistaken.KeyedCount);
        Assert.Equal(1, removed!.KeyedCount);
        Assert.Equal(HttpStatusCode.BadRequest, outOfBalance.StatusCode);
        Assert.Contains("out of balance", await outOfBalance.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(keyed!.Balances);
        Assert.Equal([stubs[0].AmountDue.ToPlainString(), "5.00"], keyed.Items.Select(i => i.Amount));
        Assert.False(posted!.AlreadyPosted);
        Assert.Equal("Posted", posted.Batch.Status);
        Assert.True(retried!.AlreadyPosted);
        Assert.All(shown!.Items, i => Assert.StartsWith("R", i.ReceiptNumber, StringComparison.Ordinal));
        Assert.Equal(posted.Batch.Items.Select(i => i.ReceiptNumber), shown.Items.Select(i => i.ReceiptNumber));
    }

    [Fact]
    public async Task Only_the_roles_that_key_mail_payments_can_open_a_batch()
    {
        var collector = await factory.SignedInClientAsync("Collector");
        var cashier = await factory.SignedInClientAsync("Cashier");

        var refused = await collector.PostAsJsonAsync("/api/payments/mail-batches", new OpenMailBatchBody(1, "10.00"));
        var allowed = await cashier.PostAsJsonAsync("/api/payments/mail-batches", new OpenMailBatchBody(1, "10.00"));
        var badControls = await cashier.PostAsJsonAsync("/api/payments/mail-batches", new OpenMailBatchBody(0, "10.00"));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badControls.StatusCode);
        Assert.Contains("controlCount", await badControls.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
