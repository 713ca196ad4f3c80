using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenCIS.Web.Api;

namespace OpenCIS.Tests.Web;

public sealed class DrawerApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static Uri Path(string path) => new(path, UriKind.Relative);

    [Fact]
    public async Task A_cashier_opens_takes_mixed_tenders_closes_blind_and_a_supervisor_approves_with_a_deposit_slip_that_agrees()
    {
        var cashier = await factory.SignedInClientAsync("Cashier");
        var supervisor = await factory.SignedInClientAsync("Supervisor");

        Assert.Equal(HttpStatusCode.NotFound, (await cashier.GetAsync(Path("/api/drawers/current"))).StatusCode);
        var noDrawer = await cashier.PostAsJsonAsync(Path("/api/drawers/current/payments"), new DrawerPaymentBody("00000018", "10.00", [new TenderBody("cash", "10.00", null, null, null)]));
        Assert.Equal(HttpStatusCode.BadRequest, noDrawer.StatusCode);

        var opened = await cashier.PostAsJsonAsync(Path("/api/drawers"), new OpenDrawerBody("150.00"));
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var drawer = (await opened.Content.ReadFromJsonAsync<DrawerResponse>(Json))!;
        Assert.Equal("150.00", drawer.StartingFloat);

        var cash = (await (await cashier.PostAsJsonAsync(Path("/api/drawers/current/payments"),
            new DrawerPaymentBody("00000018", "42.50", [new TenderBody("cash", "60.00", null, null, null)]))).Content.ReadFromJsonAsync<DrawerReceiptResponse>(Json))!;
        Assert.Equal("17.50", cash.ChangeDue);
        var split = await cashier.PostAsJsonAsync(Path("/api/drawers/current/payments"), new DrawerPaymentBody("00000034", "100.00",
            [new TenderBody("check", "60.00", "2201", null, null), new TenderBody("card", "40.00", null, "tok_live_81", "4242")]));
        Assert.Equal(HttpStatusCode.OK, split.StatusCode);
        var splitReceipt = (await split.Content.ReadFromJsonAsync<DrawerReceiptResponse>(Json))!;

        var pan = await cashier.PostAsJsonAsync(Path("/api/drawers/current/payments"), new DrawerPaymentBody("00000034", "5.00",
            [new TenderBody("card", "5.00", null, "4111111111111111", "1111")]));
        Assert.Equal(HttpStatusCode.BadRequest, pan.StatusCode);
        Assert.Contains("card number", await pan.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var pdf = await cashier.GetAsync(Path($"/api/drawers/receipts/{splitReceipt.PaymentId}.pdf"));
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync())[..4], StringComparison.Ordinal);

        // The open drawer as the cashier sees it says nothing of what is expected.
        var current = await cashier.GetStringAsync(Path("/api/drawers/current"));
        Assert.DoesNotContain("expected", current, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("192.50", current, StringComparison.Ordinal);

        var close = await cashier.PostAsJsonAsync(Path("/api/drawers/current/close"), new CloseDrawerBody(new Dictionary<string, string> { ["cash"] = "192.00", ["check"] = "60.00", ["card"] = "40.00" }));
        Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        var closed = (await close.Content.ReadFromJsonAsync<DrawerCloseResponse>(Json))!;
        Assert.Equal("192.50", closed.Expected["Cash"]);
        Assert.Equal("-0.50", closed.OverShortTotal);

        var after = await cashier.PostAsJsonAsync(Path("/api/drawers/current/payments"), new DrawerPaymentBody("00000018", "1.00", [new TenderBody("cash", "1.00", null, null, null)]));
        Assert.Equal(HttpStatusCode.BadRequest, after.StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await cashier.PostAsJsonAsync(Path($"/api/drawers/{drawer.DrawerId}/approve"), new ApproveDrawerBody("mine"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await cashier.GetAsync(Path($"/api/drawers/{drawer.DrawerId}/deposit-slip"))).StatusCode);
        var waiting = (await supervisor.GetFromJsonAsync<List<ClosedDrawerResponse>>(Path("/api/drawers/awaiting-approval"), Json))!;
        Assert.Contains(waiting, d => d.DrawerId == drawer.DrawerId && d.OverShortTotal == "-0.50");

        var noNote = await supervisor.PostAsJsonAsync(Path($"/api/drawers/{drawer.DrawerId}/approve"), new ApproveDrawerBody(null));
        Assert.Equal(HttpStatusCode.BadRequest, noNote.StatusCode);
        var approve = await supervisor.PostAsJsonAsync(Path($"/api/drawers/{drawer.DrawerId}/approve"), new ApproveDrawerBody("Fifty cents short; recounted."));
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        Assert.Equal("Approved", (await approve.Content.ReadFromJsonAsync<ClosedDrawerResponse>(Json))!.Status);

        var slip = (await supervisor.GetFromJsonAsync<DepositSlipResponse>(Path($"/api/drawers/{drawer.DrawerId}/deposit-slip"), Json))!;
        Assert.Equal("42.00", slip.Cash);
        Assert.Equal("60.00", slip.Checks);
        Assert.Equal("102.00", slip.DepositTotal);
        Assert.Equal("40.00", slip.Card);
        Assert.Equal("2201", Assert.Single(slip.Items).Reference);

        var report = (await supervisor.GetFromJsonAsync<CashReceiptsResponse>(Path($"/api/drawers/cash-receipts?date={drawer.BusinessDate:yyyy-MM-dd}"), Json))!;
        Assert.Equal("142.50", report.Total);
        Assert.Equal("42.50", report.ByTender["Cash"]);
        Assert.Equal("-0.50", Assert.Single(report.Drawers).OverShort);
        var csv = (await supervisor.GetStringAsync(Path($"/api/drawers/cash-receipts?date={drawer.BusinessDate:yyyy-MM-dd}&format=csv"))).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("business_date,drawer,cashier,status,payments,cash,", csv[0], StringComparison.Ordinal);
        Assert.Equal(3, csv.Length);
        Assert.EndsWith(",142.50,-0.50", csv[^1], StringComparison.Ordinal);
        var page = await supervisor.GetStringAsync(Path($"/Cashier/Approvals?date={drawer.BusinessDate:yyyy-MM-dd}"));
        Assert.Contains("id=\"drawer-balancing-total\">$142.50<", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await cashier.GetAsync(Path($"/api/drawers/cash-receipts?date={drawer.BusinessDate:yyyy-MM-dd}"))).StatusCode);
    }

    [Theory]
    [InlineData("Clerk", "POST", "/api/drawers")]
    [InlineData("Clerk", "GET", "/api/drawers/current")]
    [InlineData("Auditor", "POST", "/api/drawers/current/close")]
    [InlineData("Cashier", "GET", "/api/drawers/awaiting-approval")]
    [InlineData("Clerk", "POST", "/api/drawers/1/approve")]
    [InlineData("Collector", "GET", "/api/drawers/1/deposit-slip")]
    public async Task Drawer_endpoints_refuse_roles_without_the_permission(string role, string method, string path)
    {
        var client = await factory.SignedInClientAsync(role);
        using var request = new HttpRequestMessage(new HttpMethod(method), Path(path));
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { });
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(request)).StatusCode);
    }
}
