using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace OpenCIS.Tests.Web;

/// <summary>The accessibility check the screen tests share: no critical or serious axe violation at desktop or phone width.</summary>
internal static class BrowserAxe
{
    public static async Task AssertCleanAsync(IPage page)
    {
        foreach (var (width, height) in new[] { (1366, 900), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            var serious = (await page.RunAxe()).Violations.Where(v => v.Impact is "critical" or "serious").Select(v => $"{v.Id}: {v.Help}").ToList();
            Assert.True(serious.Count == 0, $"{page.Url} at {width}px: {string.Join("; ", serious)}");
        }

        await page.SetViewportSizeAsync(1366, 900);
    }
}
