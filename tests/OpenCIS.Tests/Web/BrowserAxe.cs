using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace OpenCIS.Tests.Web;

/// <summary>How the browser tests run axe-core, and the accessibility check the screen tests share.</summary>
internal static class BrowserAxe
{
    /// <summary>
    /// Runs axe-core inside the page itself. The package's default (<c>RunAxe</c>) runs each frame's part, then opens a blank
    /// page to put the parts together, which costs about a second a run on two cores, more than the checks themselves; our
    /// pages have no frames, so the page's own run finds the same violations (compared over the whole sweep when this was
    /// chosen). The package marks the in-page mode obsolete: should it go, <c>RunAxe</c> here is the one line to change.
    /// </summary>
    public static Task<AxeResult> RunAxeInPageAsync(this IPage page, AxeRunOptions? options = null)
    {
#pragma warning disable CS0618 // Legacy (in-page) mode: see above.
        return page.RunAxeLegacy(null, options);
#pragma warning restore CS0618
    }

    /// <summary>No critical or serious axe violation at desktop or phone width.</summary>
    public static async Task AssertCleanAsync(IPage page)
    {
        foreach (var (width, height) in new[] { (1366, 900), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            var serious = (await page.RunAxeInPageAsync()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => $"{v.Id}: {v.Help}").ToList();
            Assert.True(serious.Count == 0, $"{page.Url} at {width}px: {string.Join("; ", serious)}");
        }

        await page.SetViewportSizeAsync(1366, 900);
    }
}
