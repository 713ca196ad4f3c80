using Microsoft.Playwright;
using OpenCIS.Tests.Cli;

namespace OpenCIS.Tests.Web;

/// <summary>A supervisor edits the collection policy on the real screen in Chromium: a mistake shown by line and field, then saved versions.</summary>
public sealed class CollectionPolicyScreenBrowserTests(OpenCisWebFactory factory) : IClassFixture<OpenCisWebFactory>
{
    /// <summary>
    /// Accessibility checks run in the page (the repository has no axe-core and takes no new package): the page
    /// names its language, has one h1, every form control has a label, every link and button has text, ids are
    /// unique, and every aria reference points at an element.
    /// </summary>
    private const string AccessibilityProblems = """
        () => {
            const problems = [];
            if (!document.documentElement.lang) problems.push('the page names no language');
            if (document.querySelectorAll('h1').length !== 1) problems.push('the page has ' + document.querySelectorAll('h1').length + ' h1 headings');
            document.querySelectorAll('input:not([type=hidden]), select, textarea').forEach(el => {
                if (!(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) problems.push('no label: ' + (el.id || el.name));
            });
            document.querySelectorAll('a[href], button').forEach(el => {
                if (!el.textContent.trim() && !el.getAttribute('aria-label')) problems.push('no text: ' + el.outerHTML.slice(0, 80));
            });
            const ids = [...document.querySelectorAll('[id]')].map(el => el.id);
            ids.filter((id, i) => ids.indexOf(id) !== i).forEach(id => problems.push('duplicate id: ' + id));
            document.querySelectorAll('[aria-describedby], [aria-labelledby]').forEach(el => {
                ((el.getAttribute('aria-describedby') || '') + ' ' + (el.getAttribute('aria-labelledby') || '')).split(/\s+/).filter(Boolean)
                    .forEach(id => { if (!document.getElementById(id)) problems.push('missing aria reference: ' + id); });
            });
            return problems;
        }
        """;

    /// <summary>The elements of the page's main content that reach past the window's right edge.</summary>
    private const string WiderThanTheWindow = """
        () => [...document.querySelectorAll('main *')]
            .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .map(el => el.tagName + '#' + el.id + ' ' + Math.round(el.getBoundingClientRect().right) + 'px').join(', ')
        """;

    [SkippableFact]
    public async Task A_supervisor_sees_each_problem_by_line_and_field_beside_the_text_then_saves_versions()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        await ScreenTests.SignInAsync(page, "supervisor");

        await page.GotoAsync("/Collections/Policies");
        // The demo city (too small for utility collections) has only the policy its invoice types name.
        var before = await page.InnerTextAsync("#policy-versions");
        Assert.Contains("RIVERBEND-RECEIVABLES", before, StringComparison.Ordinal);
        Assert.DoesNotContain("RIVERBEND-UTIL", before, StringComparison.Ordinal);
        await page.ClickAsync("#policy-new");
        await page.WaitForSelectorAsync("#policy-yaml");
        // The editor starts from the latest version: the receivables policy's text.
        Assert.Contains("code: RIVERBEND-RECEIVABLES", await page.InputValueAsync("#policy-yaml"), StringComparison.Ordinal);

        var policy = (await File.ReadAllTextAsync(RepositoryExamples.Path("collections", "riverbend.yaml"))).ReplaceLineEndings("\n");
        var mistaken = policy.Replace("grace_days: 5 ", "grace_days: five ", StringComparison.Ordinal);
        var mistakeLine = CollectionPolicyCliTests.LineOf(mistaken, "grace_days: five");
        await page.FillAsync("#policy-yaml", mistaken);
        await page.ClickAsync("#policy-save");
        await page.WaitForSelectorAsync("#policy-errors");
        var error = await page.InnerTextAsync("#policy-errors .policy-error");
        Assert.Contains($"Line {mistakeLine}, grace_days", error, StringComparison.Ordinal);
        Assert.Contains("'five' is not a whole number", error, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", await page.InnerTextAsync("#policy-message"), StringComparison.Ordinal);
        // The text comes back as typed, and the problem list sits beside it at 1366px.
        Assert.Equal(mistaken, await page.InputValueAsync("#policy-yaml"));
        var text = await page.Locator("#policy-yaml").BoundingBoxAsync();
        var errors = await page.Locator("#policy-errors").BoundingBoxAsync();
        Assert.True(errors!.X >= text!.X + text.Width, "the problems are beside the text");
        Assert.Empty(await page.EvaluateAsync<string[]>(AccessibilityProblems));
        await ScreenTests.ScreenshotAsync(page, "policy-edit-errors.png");

        // By keyboard: from the text, Tab reaches the problem; Enter puts the cursor on its line.
        await page.FocusAsync("#policy-yaml");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("go-to-line", await page.EvaluateAsync<string>("() => document.activeElement.classList[document.activeElement.classList.length - 1]"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("policy-yaml", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        var selected = await page.EvaluateAsync<string>("() => { const t = document.getElementById('policy-yaml'); return t.value.substring(t.selectionStart, t.selectionEnd); }");
        Assert.Contains("grace_days: five", selected, StringComparison.Ordinal);

        // At phone width the screen's own content fits (the shared navigation bar is the layout's, not this page's).
        await page.SetViewportSizeAsync(390, 844);
        Assert.Equal("", await page.EvaluateAsync<string>(WiderThanTheWindow));
        await page.SetViewportSizeAsync(1366, 900);

        await page.FillAsync("#policy-yaml", policy);
        await page.ClickAsync("#policy-save");
        await page.WaitForSelectorAsync("#policy-saved");
        Assert.Contains("Imported RIVERBEND-UTIL (City of Riverbend utility collections) version 1", await page.InnerTextAsync("#policy-saved"), StringComparison.Ordinal);
        Assert.Equal("RIVERBEND-UTIL version 1: City of Riverbend utility collections", await page.InnerTextAsync("#policy-title"));
        Assert.Equal(policy.TrimEnd(), (await page.InnerTextAsync("#policy-yaml")).TrimEnd());
        Assert.Empty(await page.EvaluateAsync<string[]>(AccessibilityProblems));

        // Editing starts from the latest version; a change saves version 2 and keeps version 1.
        await page.ClickAsync("#policy-edit");
        await page.WaitForSelectorAsync("#policy-yaml");
        Assert.Equal(policy, await page.InputValueAsync("#policy-yaml"));
        await page.FillAsync("#policy-yaml", policy.Replace("cold_at_or_below_f: 20", "cold_at_or_below_f: 25", StringComparison.Ordinal));
        await page.ClickAsync("#policy-save");
        await page.WaitForSelectorAsync("#policy-saved");
        Assert.StartsWith("RIVERBEND-UTIL version 2", await page.InnerTextAsync("#policy-title"), StringComparison.Ordinal);
        Assert.Contains("cold_at_or_below_f: 25", await page.InnerTextAsync("#policy-yaml"), StringComparison.Ordinal);

        await page.GotoAsync("/Collections/Policies");
        var rows = page.Locator("#policy-versions tbody tr", new() { HasText = "RIVERBEND-UTIL" });
        Assert.Equal(2, await rows.CountAsync());
        Assert.Contains("2", await rows.Nth(0).Locator("td").Nth(1).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("supervisor", await rows.Nth(0).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("residential, commercial", await rows.Nth(1).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Empty(await page.EvaluateAsync<string[]>(AccessibilityProblems));
    }

    [SkippableFact]
    public async Task A_clerk_reads_the_policies_but_cannot_edit_them()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString() });
        await ScreenTests.SignInAsync(page, "clerk");

        await page.GotoAsync("/Collections/Policies");
        await page.WaitForSelectorAsync("#policy-versions");
        Assert.Equal(0, await page.Locator("#policy-new").CountAsync());
        await page.GotoAsync("/Collections/Policies/Edit");
        Assert.Contains("/AccessDenied", page.Url, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_supervisor_posts_todays_forecast_and_a_csv_whose_problems_are_named_by_line_and_field()
    {
        BrowserRequirement.EnsureChromium();
        var baseAddress = factory.StartOnRealPort();
        await using var browser = await BrowserLease.TakeAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        await ScreenTests.SignInAsync(page, "supervisor");

        await page.GotoAsync("/Collections/Temperatures");
        await page.WaitForSelectorAsync("#temperature-form");
        // The day is today's business date (the host's clock is stopped at 2026-11-22).
        Assert.Equal("2026-11-22", await page.InputValueAsync("#temperature-date"));
        await page.FillAsync("#temperature-low", "17");
        await page.FillAsync("#temperature-high", "31");
        await page.ClickAsync("#temperature-post");
        await page.WaitForSelectorAsync("#temperature-message");
        Assert.Equal("Posted 2026-11-22: low 17°F, high 31°F.", await page.InnerTextAsync("#temperature-message"));
        Assert.Contains("2026-11-22", await page.InnerTextAsync("#temperatures tbody tr:first-child"), StringComparison.Ordinal);

        await page.SetInputFilesAsync("#temperature-file", new FilePayload
        {
            Name = "forecast.csv",
            MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes("date,low_f,high_f\n2026-11-23,10,20\n2026-11-24,cold,20\n"),
        });
        await page.ClickAsync("#temperature-upload");
        await page.WaitForSelectorAsync("#temperature-file-errors");
        Assert.Equal("Line 3, low_f: 'cold' is not a whole number of degrees Fahrenheit", (await page.InnerTextAsync("#temperature-file-errors li")).Trim());
        Assert.DoesNotContain("2026-11-23", await page.InnerTextAsync("#temperatures"), StringComparison.Ordinal);
        Assert.Equal("", await page.EvaluateAsync<string>(WiderThanTheWindow));
        Assert.Empty(await page.EvaluateAsync<string[]>(AccessibilityProblems));
    }
}
