using Microsoft.Playwright;

namespace OpenCIS.Tests.Web;

/// <summary>
/// One Playwright driver and one Debian Chromium for the whole test run, started by the first browser test and closed when the
/// test process ends, as Playwright's own test base classes share them: starting a driver and a browser for each of fifty tests
/// cost the run a minute of its two cores. Each test takes a lease and opens its own contexts (cookies, storage and viewport its
/// own) through it; disposing the lease closes them, so a test leaves nothing behind in the shared browser.
/// </summary>
public sealed class BrowserLease : IAsyncDisposable
{
    private static readonly Lazy<Task<(IPlaywright Playwright, IBrowser Browser)>> Shared = new(async () =>
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserRequirement.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                browser.CloseAsync().GetAwaiter().GetResult();
            }
            catch (PlaywrightException)
            {
                // Already gone (the browser crashed, or the driver closed first): nothing is left to close.
            }

            playwright.Dispose();
        };
        return (playwright, browser);
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly IBrowser browser;
    private readonly List<IBrowserContext> contexts = [];

    private BrowserLease(IBrowser browser) => this.browser = browser;

    /// <summary>A lease on the shared browser, started on first use.</summary>
    public static async Task<BrowserLease> TakeAsync() => new((await Shared.Value).Browser);

    /// <summary>A new context of this test's own, closed with the lease.</summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        var context = await browser.NewContextAsync(options);
        lock (contexts)
        {
            contexts.Add(context);
        }

        return context;
    }

    /// <summary>A page in a new context of this test's own (as <see cref="IBrowser.NewPageAsync"/>), closed with the lease.</summary>
    public async Task<IPage> NewPageAsync(BrowserNewPageOptions? options = null)
    {
        var page = await browser.NewPageAsync(options);
        lock (contexts)
        {
            contexts.Add(page.Context);
        }

        return page;
    }

    public async ValueTask DisposeAsync()
    {
        List<IBrowserContext> opened;
        lock (contexts)
        {
            opened = [.. contexts];
            contexts.Clear();
        }

        foreach (var context in opened)
        {
            await context.CloseAsync();
        }
    }
}
