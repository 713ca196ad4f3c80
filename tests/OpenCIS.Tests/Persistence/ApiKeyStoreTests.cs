using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.Tests.Web;
using OpenCIS.UseCases.Users;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// Service accounts' API keys on each database: a key found by its prefix and proven by its secret, a wrong secret
/// finding nobody, a rotation whose old key works through its grace and then expires, a revocation refusing at once,
/// and the use log.
/// </summary>
public sealed class ApiKeyStoreTests
{
    private static readonly IReadOnlyCollection<string> Known = ["CheckDebts", "PlaceHolds", "ManageUsers"];

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_key_works_until_revoked_and_a_rotated_key_until_its_grace_ends(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "apikeys");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var clock = new StoppedClock(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var keys = new ApiKeys(db, clock);

        Assert.Equal("permissions", (await Assert.ThrowsAsync<DomainException>(() => keys.CreateAsync("permits", null, ["ManageUsers"], Known, "admin"))).Field);
        var issued = await keys.CreateAsync(" Permits-System ", "Building permits", ["PlaceHolds", "CheckDebts", "CheckDebts"], Known, "admin");
        Assert.Equal(("permits-system", ApiKeyState.Active), (issued.Key.Name, issued.Key.State));
        Assert.Equal(["CheckDebts", "PlaceHolds"], issued.Key.Permissions);
        Assert.StartsWith($"ocis_{issued.Key.Prefix}_", issued.Token, StringComparison.Ordinal);

        var caller = await keys.AuthenticateAsync(issued.Token);
        Assert.Equal(("api-key:permits-system", (string?)null), (caller!.Actor, caller.Refusal));
        Assert.Null(await keys.AuthenticateAsync(issued.Token[..^1] + (issued.Token[^1] == 'A' ? 'B' : 'A')));
        Assert.Null(await keys.AuthenticateAsync("ocis_0000000000_" + new string('A', 43)));
        Assert.Null(await keys.AuthenticateAsync("not a key"));

        // Rotated with a day's grace: both keys work; after the day only the new one does.
        var rotated = await keys.RotateAsync(issued.Key.Id, 24, "admin");
        Assert.Equal((issued.Key.Id, ApiKeyState.Expiring), (rotated.Key.RotatedFromId, (await keys.FindAsync(issued.Key.Id)).State));
        Assert.Null((await keys.AuthenticateAsync(issued.Token))!.Refusal);
        await keys.RecordUseAsync(caller.KeyId, "GET", "/api/debt-check?name=Whitcomb", 200, "10.0.0.8");
        clock.Now = clock.Now.AddHours(25);
        Assert.Contains("expired", (await keys.AuthenticateAsync(issued.Token))!.Refusal, StringComparison.Ordinal);
        Assert.Null((await keys.AuthenticateAsync(rotated.Token))!.Refusal);
        Assert.Equal("keyId", (await Assert.ThrowsAsync<DomainException>(() => keys.RotateAsync(issued.Key.Id, 0, "admin"))).Field);

        // Revoked: refused at once, with the reason kept; a second revocation is refused.
        Assert.Equal("reason", (await Assert.ThrowsAsync<DomainException>(() => keys.RevokeAsync(rotated.Key.Id, " ", "admin"))).Field);
        var revoked = await keys.RevokeAsync(rotated.Key.Id, "Vendor contract ended", "admin");
        Assert.Equal((ApiKeyState.Revoked, "Vendor contract ended"), (revoked.State, revoked.RevokeReason));
        Assert.Contains("revoked", (await keys.AuthenticateAsync(rotated.Token))!.Refusal, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DomainException>(() => keys.RevokeAsync(rotated.Key.Id, "again", "admin"));

        var first = await keys.FindAsync(issued.Key.Id);
        Assert.Equal((1, new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero)), (first.Uses, first.LastUsedAt));
        Assert.Equal("/api/debt-check?name=Whitcomb", (await keys.UsesAsync(issued.Key.Id)).Single().Path);
        Assert.Equal(["Create API key", "Rotate API key", "Revoke API key"], await db.AuditEntries.Where(e => e.EntityType == "ApiKey").OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
        Assert.Equal(2, await db.ApiKeys.CountAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_use_log_is_saved_in_the_background_on_a_read_and_when_the_host_stops(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "apikey use log");
        await database.MigrateAsync();
        await using var services = database.Services();
        var log = services.GetRequiredService<ApiKeyUseLog>();
        long keyId;
        await using (var scope = services.CreateAsyncScope())
        {
            keyId = (await scope.ServiceProvider.GetRequiredService<ApiKeys>().CreateAsync("permits", null, ["CheckDebts"], Known, "admin")).Key.Id;
        }

        async Task<List<string>> SavedAsync()
        {
            await using var db = database.Context();
            return await db.ApiKeyUses.Where(u => u.ApiKeyId == keyId).OrderBy(u => u.Id).Select(u => u.Path).ToListAsync();
        }

        // Read through the key's page: the lines queued so far are saved first.
        log.Record(keyId, "GET", "/api/debt-check?name=A", 200, "10.0.0.8");
        Assert.Empty(await SavedAsync());
        await using (var scope = services.CreateAsyncScope())
        {
            Assert.Equal(["/api/debt-check?name=A"], (await scope.ServiceProvider.GetRequiredService<ApiKeys>().UsesAsync(keyId)).Select(u => u.Path));
        }

        // The host's writer saves the next ones on its own, and what is left when it stops.
        using var stopping = new CancellationTokenSource();
        var writer = log.RunAsync(stopping.Token);
        log.Record(keyId, "GET", "/api/debt-check?name=B", 200, "10.0.0.8");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((await SavedAsync()).Count < 2 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        Assert.Equal(["/api/debt-check?name=A", "/api/debt-check?name=B"], await SavedAsync());
        log.Record(keyId, "POST", "/api/holds", 403, null);
        await stopping.CancelAsync();
        await writer;
        Assert.Equal(["/api/debt-check?name=A", "/api/debt-check?name=B", "/api/holds"], await SavedAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_key_kept_in_the_directory_is_refused_at_once_when_revoked_or_rotated_here(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "apikey directory");
        await database.MigrateAsync();
        await using var services = database.Services();
        var directory = services.GetRequiredService<ApiKeyDirectory>();
        await using var scope = services.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeys>();
        var permits = await keys.CreateAsync("permits", null, ["CheckDebts"], Known, "admin");
        var licensing = await keys.CreateAsync("licensing", null, ["CheckDebts"], Known, "admin");

        // Read once, then kept: the next request does not read the key again.
        Assert.Null((await keys.AuthenticateAsync(permits.Token))!.Refusal);
        Assert.Null((await keys.AuthenticateAsync(licensing.Token))!.Refusal);
        Assert.True(directory.TryGet(permits.Key.Prefix, out _) && directory.TryGet(licensing.Key.Prefix, out _));
        // The secret is checked on every request, kept or not.
        Assert.Null(await keys.AuthenticateAsync(permits.Token[..^1] + (permits.Token[^1] == 'A' ? 'B' : 'A')));

        await keys.RevokeAsync(permits.Key.Id, "Contract ended", "admin");
        var rotated = await keys.RotateAsync(licensing.Key.Id, 0, "admin");

        Assert.Contains("revoked", (await keys.AuthenticateAsync(permits.Token))!.Refusal, StringComparison.Ordinal);
        Assert.Contains("revoked", (await keys.AuthenticateAsync(licensing.Token))!.Refusal, StringComparison.Ordinal);
        Assert.Null((await keys.AuthenticateAsync(rotated.Token))!.Refusal);
    }
}
