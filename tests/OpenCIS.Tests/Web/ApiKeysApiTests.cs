using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage;

using static OpenCIS.Tests.Web.ApiRequests;

namespace OpenCIS.Tests.Web;

/// <summary>
/// Another city system calls the debt check and the holds with its own API key on the demo city: a key scoped to the
/// permission works, a revoked key and a key without the permission are refused, a key opens neither a screen nor an
/// endpoint that merely needs a signed-in user, a rotation's grace keeps the old key working, and every use is logged.
/// </summary>
public sealed class ApiKeysApiTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    [Fact]
    public async Task The_permit_system_checks_debts_and_holds_with_its_scoped_key_and_a_revoked_or_unscoped_key_is_refused()
    {
        var admin = await factory.SignedInClientAsync("Admin");
        var permits = await CreateAsync(admin, "permit-check", ["CheckDebts", "PlaceHolds"]);
        var invoicesOnly = await CreateAsync(admin, "invoice-feed", ["ViewInvoices"]);

        // Scoped to CheckDebts: the debt check answers, by a bearer token or the X-Api-Key header alike.
        var asBearer = KeyClient(permits.Token);
        var owes = await asBearer.GetFromJsonAsync<JsonElement>(new Uri("/api/debt-check?name=Whitcomb", UriKind.Relative));
        Assert.Equal(("Harold Whitcomb", "1286.90"), (owes.GetProperty("debtors")[0].GetProperty("name").GetString(), owes.GetProperty("debtors")[0].GetProperty("owed").GetString()));
        var asHeader = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        asHeader.DefaultRequestHeaders.Add("X-Api-Key", permits.Token);
        Assert.Equal(HttpStatusCode.OK, (await asHeader.GetAsync(new Uri("/api/debt-check?taxId=93-1234567", UriKind.Relative))).StatusCode);

        // It places a hold in its own name, audited as the key's service account.
        var customerId = owes.GetProperty("debtors")[0].GetProperty("customerId").GetInt64();
        var hold = await PostAsync(asBearer, "/api/holds", new { customerId, reason = "Permit desk: unpaid transport", releaseWhenPaid = true });
        Assert.Equal(HttpStatusCode.OK, hold.StatusCode);
        Assert.Equal("api-key:permit-check", (await hold.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("placedBy").GetString());

        // Nothing outside its scope: not invoices, not a screen, not an endpoint open to any signed-in staff user.
        Assert.Equal(HttpStatusCode.Forbidden, (await asBearer.GetAsync(new Uri("/api/invoices", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asBearer.GetAsync(new Uri("/api/jobs", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await asBearer.GetAsync(new Uri("/DebtCheck", UriKind.Relative))).StatusCode);

        // A key without the permission, a revoked key and a made-up key.
        var unscoped = await KeyClient(invoicesOnly.Token).GetAsync(new Uri("/api/debt-check?name=Whitcomb", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, unscoped.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await KeyClient(invoicesOnly.Token).GetAsync(new Uri("/api/invoices", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(admin, $"/api/api-keys/{permits.Id}/revoke", new { reason = "Permit system replaced" })).StatusCode);
        var revoked = await asBearer.GetAsync(new Uri("/api/debt-check?name=Whitcomb", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Contains("revoked", (await revoked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString(), StringComparison.Ordinal);
        var forged = KeyClient(permits.Token[..^4] + "AAAA");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync(new Uri("/api/debt-check?name=Whitcomb", UriKind.Relative))).StatusCode);

        // Every use of the key is logged, the refused ones (a screen, after its revocation) too; the forged key has nothing to log against.
        var uses = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/api-keys/{permits.Id}/uses", UriKind.Relative));
        Assert.Equal([401, 401, 403, 403, 200, 200, 200], uses.EnumerateArray().Select(u => u.GetProperty("status").GetInt32()).ToArray());
        Assert.Equal(("/api/debt-check?name=Whitcomb", "/DebtCheck", "POST"), (uses[0].GetProperty("path").GetString(), uses[1].GetProperty("path").GetString(), uses[4].GetProperty("method").GetString()));
        var listed = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/api-keys/{permits.Id}", UriKind.Relative));
        Assert.Equal(("Revoked", 7), (listed.GetProperty("state").GetString(), listed.GetProperty("uses").GetInt32()));
    }

    [Fact]
    public async Task A_rotation_keeps_the_old_key_through_its_grace_and_only_an_admin_makes_keys_never_with_admin_powers()
    {
        var admin = await factory.SignedInClientAsync("Admin");
        var supervisor = await factory.SignedInClientAsync("Supervisor");
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(supervisor, "/api/api-keys", new { name = "sneaky", permissions = new[] { "CheckDebts" } })).StatusCode);
        Assert.Equal("permissions", await ProblemFieldAsync(await PostAsync(admin, "/api/api-keys", new { name = "sneaky", permissions = new[] { "ManageUsers" } })));
        Assert.Equal("permissions", await ProblemFieldAsync(await PostAsync(admin, "/api/api-keys", new { name = "sneaky", permissions = new[] { "FlyToTheMoon" } })));
        Assert.Equal("permissions", await ProblemFieldAsync(await PostAsync(admin, "/api/api-keys", new { name = "sneaky", permissions = Array.Empty<string>() })));
        Assert.Equal("name", await ProblemFieldAsync(await PostAsync(admin, "/api/api-keys", new { name = "a b", permissions = new[] { "CheckDebts" } })));

        var licensing = await CreateAsync(admin, "licence-desk", ["CheckDebts"]);
        var rotated = await (await PostAsync(admin, $"/api/api-keys/{licensing.Id}/rotate", new { graceHours = 24 })).Content.ReadFromJsonAsync<JsonElement>();
        var newToken = rotated.GetProperty("token").GetString()!;
        Assert.Equal(("licence-desk", "Active"), (rotated.GetProperty("key").GetProperty("name").GetString(), rotated.GetProperty("key").GetProperty("state").GetString()));
        Assert.Equal("Expiring", (await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/api-keys/{licensing.Id}", UriKind.Relative))).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, (await KeyClient(licensing.Token).GetAsync(new Uri("/api/debt-check?name=Whitcomb", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await KeyClient(newToken).GetAsync(new Uri("/api/debt-check?name=Whitcomb", UriKind.Relative))).StatusCode);

        // The grace period over, the old key stops working and the new one goes on.
        var now = factory.Clock.Now;
        try
        {
            factory.Clock.Now = now.AddHours(25);
            Assert.Equal(HttpStatusCode.Unauthorized, (await KeyClient(licensing.Token).GetAsync(new Uri("/api/debt-check?name=Whitcomb", UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await KeyClient(newToken).GetAsync(new Uri("/api/debt-check?name=Whitcomb", UriKind.Relative))).StatusCode);
        }
        finally
        {
            factory.Clock.Now = now;
        }

        // The audit trail has the key made, rotated; the system keeps no secret.
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        Assert.Equal(["Create API key", "Rotate API key"], await db.AuditEntries.Where(e => e.EntityType == "ApiKey" && e.User == "admin" && (e.EntityId == licensing.Id || e.EntityId == rotated.GetProperty("key").GetProperty("id").GetInt64()))
            .OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
        Assert.DoesNotContain(await db.ApiKeys.Select(k => k.SecretHash).ToListAsync(), h => newToken.Contains(h, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_ems_vendor_sends_its_invoice_file_with_its_key_and_no_browser_header()
    {
        var admin = await factory.SignedInClientAsync("Admin");
        var vendor = await CreateAsync(admin, "ems-vendor", ["CreateInvoices"]);
        using var content = new MultipartFormDataContent();
        using var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(
            "type,reference,name,line1,city,state,zip,description,unit_price\nEMS,RUN-K-1,Pat Vendor,1 Main St,Riverbend,OR,97401,BLS transport,640.00\n"));
        content.Add(file, "file", "ems-0612.csv");
        var imported = await KeyClient(vendor.Token).PostAsync(new Uri("/api/invoices/import", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal(1, (await imported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invoiceCount").GetInt32());
    }

    private async Task<(long Id, string Token)> CreateAsync(HttpClient admin, string name, string[] permissions)
    {
        var created = await PostAsync(admin, "/api/api-keys", new { name, description = $"{name} for the tests", permissions });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("key").GetProperty("id").GetInt64(), body.GetProperty("token").GetString()!);
    }

    private HttpClient KeyClient(string token)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
