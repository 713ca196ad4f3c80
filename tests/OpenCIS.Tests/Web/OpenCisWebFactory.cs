using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace OpenCIS.Tests.Web;

/// <summary>A clock stopped at a chosen instant, so the demo city and business dates are the same on every run.</summary>
public sealed class StoppedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}

/// <summary>
/// Where a web host keeps its data and how it is set up: by default a SQLite file in a folder of its
/// own, deleted with the host. A test that restarts the host gives the next one the same database (and
/// key), and a test of the jobs can set the billing run's chunks and pace.
/// </summary>
public sealed record WebHostData(string? ConnectionString = null, string? EncryptionKey = null, IReadOnlyDictionary<string, string>? Settings = null);

/// <summary>
/// The web host on its own SQLite file (or the database <see cref="WebHostData"/> names), seeded with a
/// small demo city, the clock stopped at 2026-11-22. One instance is shared by the tests of a class
/// (xunit class fixture). A host with the default data starts from a copy of one seeded city (<see cref="Template"/>):
/// the seed runs once per test run instead of once per class, and each class still has a database of its own.
/// </summary>
public sealed partial class OpenCisWebFactory : WebApplicationFactory<Program>
{
    public const int DemoAccounts = 40;
    public static readonly DateTimeOffset Today = new(2026, 11, 22, 15, 0, 0, TimeSpan.Zero);

    private readonly string folder = Directory.CreateTempSubdirectory("opencis-web-").FullName;
    private readonly Lock realPortLock = new();
    private readonly WebHostData data;

    public OpenCisWebFactory()
        : this(new WebHostData())
    {
    }

    // Internal: xunit builds a class fixture through its one public constructor.
    internal OpenCisWebFactory(WebHostData data, StoppedClock? clock = null)
    {
        this.data = data;
        Clock = clock ?? new StoppedClock(Today);
        ConnectionString = data.ConnectionString ?? $"Data Source={Path.Combine(folder, "opencis.db")}";
        EncryptionKey = data.EncryptionKey ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        if (data.ConnectionString is null && data.EncryptionKey is null && clock is null)
        {
            // A host on its own file: the seeded city copied in, with the key its identity numbers were encrypted under. (The
            // settings a test adds are read as the host runs; the seed does not depend on them.)
            var template = Template.Value;
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                if (File.Exists(template.File + suffix))
                {
                    File.Copy(template.File + suffix, Path.Combine(folder, "opencis.db" + suffix));
                }
            }

            EncryptionKey = template.EncryptionKey;
        }
    }

    /// <summary>
    /// The demo city every default host starts from: seeded once, by a host of its own on a file of its own with
    /// pooling off (so every connection is closed, and the file whole, once that host is gone), then only copied.
    /// </summary>
    private static readonly Lazy<(string File, string EncryptionKey)> Template = new(() =>
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("opencis-template-").FullName, "opencis.db");
        return (file, SeedWithHost($"Data Source={file};Pooling=False"));
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Seeds the city into <paramref name="connectionString"/> as a default host does, under a new key, and returns the key.</summary>
    private static string SeedWithHost(string connectionString)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        using (var seeding = new OpenCisWebFactory(new WebHostData(connectionString, key), new StoppedClock(Today)))
        {
            // Starting the host migrates the database and seeds the city.
            _ = seeding.Services;
        }

        return key;
    }

    /// <summary>
    /// A database of <paramref name="provider"/> (dropped when disposed) holding the seeded city a default host starts from, and the
    /// key to start a host on it with: for tests that run hosts on a database of their own. SQLite copies <see cref="Template"/>;
    /// PostgreSQL seeds a template of its own once per test run.
    /// </summary>
    internal static async Task<(OpenCIS.Tests.Persistence.TestDatabase Database, string EncryptionKey)> SeededDatabaseAsync(OpenCIS.Tests.Persistence.TestProvider provider, string what)
    {
        if (provider == OpenCIS.Tests.Persistence.TestProvider.Postgres)
        {
            return await OpenCIS.Tests.Persistence.TestDatabases.CopyOfSeededAsync(provider, "the web hosts' demo city", template => Task.FromResult(SeedWithHost(template.ConnectionString)));
        }

        var template = Template.Value;
        var database = await OpenCIS.Tests.Persistence.TestDatabases.CreateAsync(provider, what);
        var copy = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            if (File.Exists(template.File + suffix))
            {
                File.Copy(template.File + suffix, copy + suffix);
            }
        }

        return (database, template.EncryptionKey);
    }

    public StoppedClock Clock { get; }

    public string ConnectionString { get; }

    public string EncryptionKey { get; }

    /// <summary>Where this host's customer e-mail is written (no SMTP server in tests unless one is started).</summary>
    public string OutboxFolder { get; } = Path.Combine(Path.GetTempPath(), $"opencis-outbox-{Guid.NewGuid():N}");

    private Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["OPENCIS_DATABASE"] = ConnectionString,
            ["OPENCIS_DEMO"] = "true",
            // Every test class signs its users in from one address; the throttle itself is tested in StartupTests.
            ["OPENCIS_SIGNIN_ATTEMPTS_PER_MINUTE"] = "100000",
            ["OPENCIS_DEMO_ACCOUNTS"] = DemoAccounts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OPENCIS_ENCRYPTION_KEY"] = EncryptionKey,
            // The schedules fire only when a test fires them, never at a time of day.
            ["OPENCIS_SCHEDULE_BILLING"] = "off",
            ["OPENCIS_SCHEDULE_ACH"] = "off",
            ["OPENCIS_SCHEDULE_MAIL"] = "off",
            ["OPENCIS_SCHEDULE_COLLECTIONS"] = "off",
            // Without an SMTP server, customer e-mail goes to an outbox folder: each host its own.
            ["OPENCIS_MAIL_OUTBOX"] = OutboxFolder,
            ["OPENCIS_SMS_OUTBOX"] = Path.Combine(OutboxFolder, "texts"),
        };
        foreach (var (key, value) in data.Settings ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return settings;
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        // Host configuration reaches Program while it registers its services (the jobs' store is chosen
        // there); settings made in ConfigureWebHost arrive only once the host is built.
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(Settings()));
        return base.CreateHost(builder);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();

            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    /// <summary>Serves on a real port too, for the browser tests.</summary>
    public Uri StartOnRealPort()
    {
        lock (realPortLock)
        {
            return realAddress ??= Start();
        }
    }

    private Uri? realAddress;

    private Uri Start()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        UseKestrel(port);
        StartServer();
        return new Uri($"http://localhost:{port}");
    }

    /// <summary>A client signed in as the demo user of <paramref name="role"/> through the real login form.</summary>
    public Task<HttpClient> SignedInClientAsync(string role) => SignedInClientAsync(role.ToLowerInvariant(), OpenCIS.Web.Security.UserSetup.DemoPassword);

    /// <summary>A client signed in as any user through the real login form.</summary>
    public async Task<HttpClient> SignedInClientAsync(string userName, string password)
    {
        var role = userName;
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var form = await client.GetStringAsync(new Uri("/Login", UriKind.Relative));
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = userName,
            ["password"] = password,
            ["__RequestVerificationToken"] = token,
        });
        var response = await client.PostAsync(new Uri("/Login", UriKind.Relative), content);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Login as {role} failed with {(int)response.StatusCode}.");
        }

        // As a script or integration would: a form or upload to the API names itself (see CrossSiteRequestFilter).
        client.DefaultRequestHeaders.Add(OpenCIS.Web.Security.CrossSiteRequestFilter.Header, "OpenCIS.Tests");
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A SQLite file still held by a pooled connection is left for the OS to clean up.
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
