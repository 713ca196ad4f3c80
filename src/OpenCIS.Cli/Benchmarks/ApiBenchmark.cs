using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Storage;
using OpenCIS.UseCases.Demo;
using Spectre.Console;

namespace OpenCIS.Cli.Benchmarks;

/// <summary>
/// <c>opencis bench api</c>: the JSON API under a counter's and the other city systems' load while a billing run runs. Against a
/// running host on this same database (<c>--url</c>, a loopback address only), with a key of its own (revoked after), it sends
/// <c>--rps</c> requests a second for <c>--seconds</c>: a fifth payment posts (each with its own Idempotency-Key; one in ten
/// an earlier one sent again, as a client retries whose answer was lost, which must answer with the same receipt), half account pages, the rest
/// searches by a customer's surname. Each request is timed from when it was due (no coordinated omission); a payment answered
/// but 200, a page but 200, a search but 200 is an error. Meanwhile <c>opencis bench billing</c> bills the next month in
/// another process; the load starts once its run begins, and the report says how much of the load it overlapped. The load
/// stops by itself. Targets at 500 a second: payment p99 under 20 ms, account page p99 under 50 ms, no errors.
/// </summary>
public static class ApiBenchmark
{
    private const int Targets = 2_000;
    private const int WarmUpRounds = 3;
    /// <summary>A retried payment is the one sent this many requests before (a payment, as 41 before a twentieth is).</summary>
    private const int RetryAfter = 41;

    private const string PaymentKind = "Payment post", RetryKind = "Payment retried", AccountKind = "Account page", SearchKind = "Search";

    public static async Task<int> RunAsync(IServiceProvider services, IConfiguration configuration, IAnsiConsole console, Uri host, int accounts, int rps, int seconds, int workers, bool billing,
        string user, CancellationToken cancellationToken)
    {
        if (!IsLoopback(host))
        {
            console.WriteLine($"--url {host} is not a loopback address: the API benchmark loads only a host on this machine.");
            return CliApp.BadInput;
        }

        var settings = services.GetRequiredService<DatabaseSettings>();
        BenchmarkApiTargets targets;
        long cityAccounts;
        await using (var scope = services.CreateAsyncScope())
        {
            cityAccounts = await BenchmarkPreparation.PrepareCityAsync(scope.ServiceProvider.GetRequiredService<BenchmarkCity>(), console, accounts, cancellationToken);
            targets = await scope.ServiceProvider.GetRequiredService<BenchmarkApi>().PrepareAsync(Targets, user, cancellationToken);
        }

        if (targets.AccountNumbers.Count == 0 || targets.Searches.Count == 0)
        {
            console.WriteLine("The city has no active accounts to load.");
            return CliApp.BadInput;
        }

        // A stamp of this run for its payments' keys and references: short, and never a long run of digits (which a payment's
        // reference refuses as a possible card number).
        var stamp = Guid.NewGuid().ToString("N")[..8];
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = workers, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = host };
        client.DefaultRequestHeaders.Add("X-Api-Key", targets.Token);
        var receipts = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var problems = new ConcurrentQueue<string>();
        try
        {
            console.WriteLine($"Loading {host} with key {targets.KeyId}: {targets.AccountNumbers.Count:N0} accounts, {targets.Searches.Count:N0} surnames.");
            console.WriteLine($"Warming up: {WarmUpRounds} rounds of {rps:N0} requests, not counted...");
            for (var round = 0; round < WarmUpRounds; round++)
            {
                await LoadAsync(new Timing[rps], $"warm{round}", cancellationToken);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }

            using var billingRun = billing ? await StartBillingAsync(services, configuration, console, cityAccounts, cancellationToken) : null;
            var total = rps * seconds;
            console.WriteLine($"Loading: {total:N0} requests at {rps} a second by {workers} callers{(billing ? ", with the billing run going" : "")}...");
            var timings = new Timing[total];
            var loadStarted = Stopwatch.GetTimestamp();
            var elapsed = await LoadAsync(timings, "load", cancellationToken);
            var overlap = 1.0;
            if (billingRun is not null)
            {
                var billingEnded = billingRun.EndedAt ?? Stopwatch.GetTimestamp();
                overlap = Math.Clamp(Stopwatch.GetElapsedTime(loadStarted, billingEnded) / elapsed, 0, 1);
                var result = await billingRun.WaitAsync(cancellationToken);
                console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"The billing run in process {billingRun.ProcessId} {(overlap >= 1 ? "ran through the whole load" : $"ended {overlap:P0} of the way into the load")}: {result}"));
            }

            console.Write(Latencies.ByKind(timings, "Request", "Answered as expected"));
            foreach (var problem in problems.Take(5))
            {
                console.WriteLine($"Not as expected: {problem}");
            }

            var all = timings.Select(t => t.Ms).Order().ToList();
            var errors = timings.Count(t => !t.Found);
            string P99(params string[] kinds) => Latencies.Format(Latencies.Percentile([.. timings.Where(t => kinds.Contains(t.Kind)).Select(t => t.Ms).Order()], 0.99));
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{total} requests in {elapsed.TotalSeconds:0.0} s ({total / elapsed.TotalSeconds:0} a second, {rps} asked): payment post p99 {P99(PaymentKind, RetryKind)} ms (target 20), account page p99 {P99(AccountKind)} ms (target 50), search p99 {P99(SearchKind)} ms; {errors} errors."));
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT p50_ms={Latencies.Format(Latencies.Percentile(all, 0.5))} p99_ms={Latencies.Format(Latencies.Percentile(all, 0.99))} errors={errors} rps={total / elapsed.TotalSeconds:0} payment_p99_ms={P99(PaymentKind, RetryKind)} account_p99_ms={P99(AccountKind)} search_p99_ms={P99(SearchKind)} billing_overlap={overlap:0.00} accounts={cityAccounts} database={settings.Describe()}"));
            return CliApp.Ok;
        }
        finally
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<BenchmarkApi>().RevokeAsync(targets.KeyId, user, CancellationToken.None);
        }

        // The requests at a steady rate by the workers, each timed from when it was due; returns how long it all took.
        Task<TimeSpan> LoadAsync(Timing[] into, string run, CancellationToken token) => SteadyLoad.RunAsync(into, rps, workers, index => SendAsync(index, run, token), token);

        async Task<(string Kind, bool Ok)> SendAsync(int index, string run, CancellationToken token)
        {
            var account = targets.AccountNumbers[index % targets.AccountNumbers.Count];
            try
            {
                switch (index % 10)
                {
                    case 0 or 1:
                        // A retry (every twentieth payment) sends an earlier payment's key and body again, as a client does whose
                        // answer was lost: the same receipt, nothing posted.
                        var retry = index % 20 == 1 && index >= RetryAfter;
                        var paying = retry ? index - RetryAfter : index;
                        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments")
                        {
                            Content = JsonContent.Create(new { accountNumber = targets.AccountNumbers[paying % targets.AccountNumbers.Count], amount = "1.00", tender = "card", reference = $"bench-{stamp}-{run}-{paying}" }),
                        })
                        {
                            request.Headers.Add("Idempotency-Key", $"bench-{stamp}-{run}-{paying}");
                            using var response = await client.SendAsync(request, token);
                            if (response.StatusCode != HttpStatusCode.OK)
                            {
                                await NoteAsync($"payment {(retry ? "retried" : "post")}", response, token);
                                return (retry ? RetryKind : PaymentKind, false);
                            }

                            using var receipt = JsonDocument.Parse(await response.Content.ReadAsStringAsync(token));
                            var number = receipt.RootElement.GetProperty("receiptNumber").GetString() ?? "";
                            return retry
                                ? (RetryKind, !receipts.TryGetValue($"{run}-{paying}", out var first) || first == number)
                                : (PaymentKind, receipts.TryAdd($"{run}-{index}", number));
                        }

                    case 7 or 8 or 9:
                        using (var response = await client.GetAsync($"/api/accounts?q={Uri.EscapeDataString(targets.Searches[index % targets.Searches.Count])}", token))
                        {
                            await NoteAsync("search", response, token);
                            return (SearchKind, response.StatusCode == HttpStatusCode.OK);
                        }

                    default:
                        using (var response = await client.GetAsync($"/api/accounts/{account}", token))
                        {
                            await NoteAsync("account page", response, token);
                            return (AccountKind, response.StatusCode == HttpStatusCode.OK);
                        }
                }
            }
            catch (HttpRequestException failed)
            {
                problems.Enqueue(failed.Message);
                return (index % 10 is 0 or 1 ? PaymentKind : index % 10 >= 7 ? SearchKind : AccountKind, false);
            }
        }

        // What an answer other than 200 said, for the report (the first few).
        async Task NoteAsync(string what, HttpResponseMessage response, CancellationToken token)
        {
            if (response.StatusCode != HttpStatusCode.OK && problems.Count < 20)
            {
                var body = await response.Content.ReadAsStringAsync(token);
                problems.Enqueue($"{what}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
            }
        }
    }

    private static bool IsLoopback(Uri host) =>
        host.IsLoopback || (IPAddress.TryParse(host.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>
    /// <c>opencis bench billing</c> in a child process on the same database, returned once its billing run has begun (the month's
    /// reads imported): the load then meets the run, not its preparation.
    /// </summary>
    private static async Task<BillingChild> StartBillingAsync(IServiceProvider services, IConfiguration configuration, IAnsiConsole console, long accounts, CancellationToken cancellationToken)
    {
        var start = ChildProcesses.StartInfo(["bench", "billing", "--accounts", accounts.ToString(CultureInfo.InvariantCulture), "--write-limit", "false"], ChildProcesses.Environment(services, configuration));
        var child = new BillingChild(Process.Start(start) ?? throw new InvalidOperationException("The billing process did not start."));
        console.WriteLine($"Billing the next month in process {child.ProcessId}; waiting for its run to begin...");
        await child.Begun.WaitAsync(TimeSpan.FromMinutes(10), cancellationToken);
        return child;
    }

    /// <summary>The billing benchmark running in a child process: when its run began and ended, and its result line.</summary>
    private sealed class BillingChild : IDisposable
    {
        private readonly Process process;
        private readonly TaskCompletionSource begun = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task<string> output;
        private readonly Task<string> errors;

        public BillingChild(Process process)
        {
            this.process = process;
            output = ReadAsync();
            errors = process.StandardError.ReadToEndAsync();
        }

        public int ProcessId => process.Id;

        /// <summary>Done when the child's billing run has begun (its reads imported), or when it ended without one.</summary>
        public Task Begun => begun.Task;

        public long? EndedAt { get; private set; }

        /// <summary>The child's RESULT line once it exits, or what it said when it failed.</summary>
        public async Task<string> WaitAsync(CancellationToken cancellationToken)
        {
            await process.WaitForExitAsync(cancellationToken);
            var text = await output;
            var result = text.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
            return process.ExitCode == 0 && result is not null ? result.Trim() : $"it failed (exit {process.ExitCode}): {text}{await errors}";
        }

        private async Task<string> ReadAsync()
        {
            var text = new System.Text.StringBuilder();
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                text.AppendLine(line);
                // BillingBenchmark says how many interval days it delivered just before it starts the run; its summary after.
                if (line.Contains("interval days", StringComparison.Ordinal))
                {
                    begun.TrySetResult();
                }
                else if (line.StartsWith("Billed cycle", StringComparison.Ordinal))
                {
                    EndedAt = Stopwatch.GetTimestamp();
                }
            }

            EndedAt ??= Stopwatch.GetTimestamp();
            begun.TrySetResult();
            return text.ToString();
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }
    }
}
