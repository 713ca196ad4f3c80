namespace OpenCIS.Tests.Web;

/// <summary>
/// The browser tests need Debian's Chromium. Without it they skip and say so; in CI (CI=true) a
/// missing browser fails the run instead, so a green CI always drove a real browser.
/// </summary>
public static class BrowserRequirement
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static void EnsureChromium()
    {
        if (File.Exists(ChromiumPath))
        {
            return;
        }

        var message = $"Browser test skipped: {ChromiumPath} is not installed (apt-get install chromium).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message + " CI must run the browser tests.");
        }

        Skip.If(true, message);
    }
}
