using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage;
using OpenCIS.UseCases.Demo;
using Spectre.Console;

namespace OpenCIS.Cli.Benchmarks;

/// <summary>
/// The customer portal under a month-end evening's load, against a running host (<c>--url</c>) on this same database: the
/// city is prepared when the database is empty, <c>--users</c> portal customers are made (once) and each signs in through
/// the sign-in form, then their account pages and bill explanations are requested at a steady <c>--rate</c> per second for
/// <c>--seconds</c> by <c>--workers</c> callers, each request timed from when it was due (no coordinated omission). Every
/// answer but a 200 is an error. The host throttles sign-ins per address (<c>OPENCIS_SIGNIN_ATTEMPTS_PER_MINUTE</c>, 10
/// by default): for the benchmark, start it with a limit above the users. Target: a p99 under 100 ms at 200 a second.
/// </summary>
public static partial class PortalBenchmark
{
    private const int SignInWorkers = 4;
    private const int WarmUpRounds = 3;

    public static async Task<int> RunAsync(IServiceProvider services, IAnsiConsole console, Uri host, int accounts, int users, int rate, int seconds, int workers, CancellationToken cancellationToken)
    {
        var settings = services.GetRequiredService<DatabaseSettings>();
        IReadOnlyList<BenchmarkLogin> logins;
        await using (var scope = services.CreateAsyncScope())
        {
            await BenchmarkPreparation.PrepareCityAsync(scope.ServiceProvider.GetRequiredService<BenchmarkCity>(), console, accounts, cancellationToken);
            logins = await scope.ServiceProvider.GetRequiredService<BenchmarkPortal>().EnsureLoginsAsync(users, cancellationToken);
        }

        if (logins.Count == 0)
        {
            console.WriteLine("The city has no billed accounts to make portal customers of.");
            return CliApp.BadInput;
        }

        console.WriteLine($"Signing in {logins.Count:N0} portal customers at {host}...");
        var clock = Stopwatch.StartNew();
        var clients = new HttpClient?[logins.Count];
        var signInErrors = 0;
        var nextLogin = -1;
        await Task.WhenAll(Enumerable.Range(0, SignInWorkers).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref nextLogin)) < logins.Count)
            {
                clients[index] = await SignInAsync(host, logins[index].Email, cancellationToken);
                if (clients[index] is null)
                {
                    Interlocked.Increment(ref signInErrors);
                }
            }
        }, cancellationToken)));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Signed in {logins.Count - signInErrors:N0} in {clock.Elapsed.TotalSeconds:0.0} s; {signInErrors} refused."));
        var signedIn = Enumerable.Range(0, logins.Count).Where(i => clients[i] is not null).ToList();
        if (signedIn.Count == 0)
        {
            console.WriteLine("No customer could sign in: is the host running on this database, and its sign-in limit (OPENCIS_SIGNIN_ATTEMPTS_PER_MINUTE) above the users?");
            return CliApp.BadInput;
        }

        // Warmed, as a host is after its first minutes: rounds of a second of the same load, each followed by a quiet second
        // (.NET compiles a method's optimized code only after a quiet spell, which unbroken load never gives it); not counted.
        console.WriteLine($"Warming up: {WarmUpRounds} rounds of {rate:N0} requests, not counted...");
        for (var round = 0; round < WarmUpRounds; round++)
        {
            await LoadAsync(new Timing[rate], cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        var total = rate * seconds;
        console.WriteLine($"Loading account and bill pages: {total:N0} requests at {rate} a second by {workers} callers...");
        var timings = new Timing[total];
        var started = await LoadAsync(timings, cancellationToken);
        var elapsed = started;
        foreach (var client in clients)
        {
            client?.Dispose();
        }

        console.Write(Latencies.ByKind(timings, "Page", "Answered 200"));
        var all = timings.Select(t => t.Ms).Order().ToList();
        var errors = timings.Count(t => !t.Found) + signInErrors;
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{total} requests in {elapsed.TotalSeconds:0.0} s ({total / elapsed.TotalSeconds:0} a second, {rate} asked): median {Latencies.Format(Latencies.Percentile(all, 0.5))} ms, p99 {Latencies.Format(Latencies.Percentile(all, 0.99))} ms, slowest {Latencies.Format(all[^1])} ms."));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT p99_ms={Latencies.Format(Latencies.Percentile(all, 0.99))} requests={total} errors={errors} database={settings.Describe()}"));
        return 0;

        // The pages at a steady rate by the workers, each request timed from when it was due; returns how long it all took.
        Task<TimeSpan> LoadAsync(Timing[] into, CancellationToken token) => SteadyLoad.RunAsync(into, rate, workers, async index =>
        {
            var who = signedIn[index % signedIn.Count];
            var account = index % 2 == 0;
            var ok = false;
            try
            {
                using var response = await clients[who]!.GetAsync(account ? AccountPage(logins[who]) : BillPage(logins[who]), token);
                ok = response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
            }

            return (account ? "Account page" : "Bill explained", ok);
        }, token);
    }

    private static string AccountPage(BenchmarkLogin login) => $"/portal/accounts/{login.AccountNumber}";

    private static string BillPage(BenchmarkLogin login) => $"/portal/accounts/{login.AccountNumber}/bills/{login.BillId}/explain";

    /// <summary>A client signed in as the customer through the sign-in form (its cookie kept), or null when refused.</summary>
    private static async Task<HttpClient?> SignInAsync(Uri host, string email, CancellationToken cancellationToken)
    {
#pragma warning disable CA2000 // The client owns its handler and is disposed by the caller.
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { BaseAddress = host };
#pragma warning restore CA2000
        try
        {
            var form = await client.GetStringAsync("/portal/signin", cancellationToken);
            var token = Token().Match(form).Groups[1].Value;
            using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = email, ["password"] = BenchmarkPortal.Password, ["__RequestVerificationToken"] = token });
            using var response = await client.PostAsync("/portal/signin", content, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                return client;
            }
        }
        catch (HttpRequestException)
        {
        }

        client.Dispose();
        return null;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
