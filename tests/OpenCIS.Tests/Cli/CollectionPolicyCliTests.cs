using Microsoft.EntityFrameworkCore;
using OpenCIS.Tests.Persistence;

namespace OpenCIS.Tests.Cli;

/// <summary>One empty SQLite database for the class; each command migrates it first.</summary>
public sealed class CliDatabaseFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync() => Database = await TestDatabases.CreateAsync(TestProvider.Sqlite, "collection policy CLI tests");

    public Task<CliRun> RunAsync(params string[] args) => CliRun.ExecuteAsync(Database.Configuration(), args);

    public async Task DisposeAsync() => await Database.DisposeAsync();
}

/// <summary><c>opencis collections policy import|export|list</c>, <c>collections temperature post|import</c> and <c>collections notices door-hangers</c> against a real database.</summary>
public sealed class CollectionPolicyCliTests(CliDatabaseFixture fixture) : IClassFixture<CliDatabaseFixture>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("opencis-policy-cli-").FullName;

    private static string Riverbend => File.ReadAllText(RepositoryExamples.Path("collections", "riverbend.yaml"));

    /// <summary>The 1-based line of the first line containing <paramref name="text"/>.</summary>
    internal static int LineOf(string yaml, string text) =>
        yaml.Split('\n').Select((line, index) => (line, index)).First(l => l.line.Contains(text, StringComparison.Ordinal)).index + 1;

    private string Write(string name, string text)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Import_adds_numbered_versions_kept_as_written_export_gives_each_back_and_list_shows_them()
    {
        var original = Riverbend.Replace("code: RIVERBEND-UTIL", "code: CLI-POLICY", StringComparison.Ordinal);
        var first = await fixture.RunAsync("collections", "policy", "import", "--file", Write("v1.yaml", original));
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("Imported CLI-POLICY (City of Riverbend utility collections) version 1, effective 2026-01-01: 4 steps.", first.Output, StringComparison.Ordinal);

        var again = await fixture.RunAsync("collections", "policy", "import", "--file", Write("copy.yaml", original));
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("CLI-POLICY version 1 is this same text; nothing changed.", again.Output, StringComparison.Ordinal);

        var edited = original.Replace("grace_days: 5 ", "grace_days: 7 ", StringComparison.Ordinal).Replace("name: City of Riverbend utility collections", "name: Riverbend, seven days of grace", StringComparison.Ordinal);
        Assert.NotEqual(original, edited);
        var second = await fixture.RunAsync("collections", "policy", "import", "--file", Write("v2.yaml", edited));
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("version 2", second.Output, StringComparison.Ordinal);

        var latest = await fixture.RunAsync("collections", "policy", "export", "--code", "CLI-POLICY");
        Assert.Equal(0, latest.ExitCode);
        Assert.Equal(edited, latest.Output);
        var outFile = Path.Combine(folder, "exported.yaml");
        var versionOne = await fixture.RunAsync("collections", "policy", "export", "--code", "CLI-POLICY", "--version", "1", "--out", outFile);
        Assert.Equal(0, versionOne.ExitCode);
        Assert.Equal(original, await File.ReadAllTextAsync(outFile));

        var missing = await fixture.RunAsync("collections", "policy", "export", "--code", "CLI-POLICY", "--version", "3");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("There is no collection policy CLI-POLICY version 3.", missing.Output, StringComparison.Ordinal);

        var list = await fixture.RunAsync("collections", "policy", "list");
        Assert.Equal(0, list.ExitCode);
        var rows = list.Output.Split('\n').Where(l => l.Contains("CLI-POLICY", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        // Newest version first, with its name, effective date, classes and who imported it.
        Assert.Contains("Riverbend, seven days of grace", rows[0], StringComparison.Ordinal);
        Assert.Matches(@"CLI-POLICY\s*│\s*2\s*│", rows[0]);
        Assert.Matches(@"CLI-POLICY\s*│\s*1\s*│", rows[1]);
        Assert.Contains("2026-01-01", rows[1], StringComparison.Ordinal);
        Assert.Contains("residential, commercial", rows[1], StringComparison.Ordinal);
        Assert.Contains("cli:", rows[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_template_is_imported_in_english_and_in_spanish_each_numbered_apart_and_exported_and_listed_by_language()
    {
        var english = await fixture.RunAsync("collections", "template", "import", "--file", Write("door_hanger.liquid", OpenCIS.Tests.Collections.NoticeTemplateTests.Default("door_hanger")));
        Assert.Equal(0, english.ExitCode);
        Assert.Contains("Imported the door_hanger template version 1.", english.Output, StringComparison.Ordinal);
        var spanishText = OpenCIS.Tests.Collections.NoticeTemplateTests.Spanish("door_hanger");
        var spanish = await fixture.RunAsync("collections", "template", "import", "--file", Write("es-door_hanger.liquid", spanishText), "--kind", "door_hanger", "--language", "es");
        Assert.Equal(0, spanish.ExitCode);
        Assert.Contains("Imported the door_hanger (es) template version 1.", spanish.Output, StringComparison.Ordinal);
        var french = await fixture.RunAsync("collections", "template", "import", "--file", Write("fr.liquid", spanishText), "--kind", "door_hanger", "--language", "fr");
        Assert.Equal(1, french.ExitCode);
        Assert.Contains("fr.liquid", french.Output, StringComparison.Ordinal);
        Assert.Contains("'fr' is not a template language; the languages are en, es.", french.Output, StringComparison.Ordinal);

        var exported = await fixture.RunAsync("collections", "template", "export", "--kind", "door_hanger", "--language", "es");
        Assert.Equal((0, spanishText), (exported.ExitCode, exported.Output));
        var list = await fixture.RunAsync("collections", "template", "list");
        var rows = list.Output.Split('\n').Where(l => l.Contains("door_hanger", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Matches(@"door_hanger\s*│\s*en\s*│\s*1\s*│", rows[0]);
        Assert.Matches(@"door_hanger\s*│\s*es\s*│\s*1\s*│", rows[1]);
    }

    [Fact]
    public async Task Import_of_a_file_with_problems_prints_each_by_file_line_and_field_exits_1_and_stores_nothing()
    {
        var bad = Riverbend.Replace("code: RIVERBEND-UTIL", "code: CLI-BAD", StringComparison.Ordinal)
            .Replace("grace_days: 5 ", "grace_days: five ", StringComparison.Ordinal)
            .Replace("installments_max: 6", "installments_max: many", StringComparison.Ordinal);
        var run = await fixture.RunAsync("collections", "policy", "import", "--file", Write("bad.yaml", bad));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"bad.yaml line {LineOf(bad, "grace_days: five")}, field grace_days: 'five' is not a whole number", run.Output, StringComparison.Ordinal);
        Assert.Contains($"bad.yaml line {LineOf(bad, "installments_max: many")}, field installments_max: 'many'", run.Output, StringComparison.Ordinal);
        Assert.Contains("bad.yaml has 2 problems; nothing was imported.", run.Output, StringComparison.Ordinal);
        await using var db = fixture.Database.Context();
        Assert.False(await db.CollectionPolicies.AnyAsync(p => p.Code == "CLI-BAD"));
    }

    [Fact]
    public async Task Temperatures_are_posted_by_hand_and_from_a_csv_checked_whole_and_a_day_posted_again_is_replaced()
    {
        var posted = await fixture.RunAsync("collections", "temperature", "post", "--date", "2026-12-01", "--low", "12", "--high", "30");
        Assert.Equal(0, posted.ExitCode);
        Assert.Contains("Posted 2026-12-01: low 12°F, high 30°F.", posted.Output, StringComparison.Ordinal);

        var upsideDown = await fixture.RunAsync("collections", "temperature", "post", "--date", "2026-12-03", "--low", "50", "--high", "40");
        Assert.Equal(1, upsideDown.ExitCode);
        Assert.Contains("The high 40°F is under the low 50°F.", upsideDown.Output, StringComparison.Ordinal);

        var bad = Write("bad.csv", "date,low_f,high_f\n2026-12-02,20,41\n2026-13-01,10,20\n2026-12-04,200,210\n2026-12-02,21,40\n");
        var refused = await fixture.RunAsync("collections", "temperature", "import", "--file", bad);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("bad.csv line 3, field date: '2026-13-01' is not a date in the form YYYY-MM-DD", refused.Output, StringComparison.Ordinal);
        Assert.Contains("bad.csv line 4, field low_f: 200°F is not a forecast from -80°F to 140°F", refused.Output, StringComparison.Ordinal);
        Assert.Contains("bad.csv line 4, field high_f: 210°F is not a forecast", refused.Output, StringComparison.Ordinal);
        Assert.Contains("bad.csv line 5, field date: 2026-12-02 is already on line 2", refused.Output, StringComparison.Ordinal);
        Assert.Contains("bad.csv has 4 problems; nothing was posted.", refused.Output, StringComparison.Ordinal);
        await using (var db = fixture.Database.Context())
        {
            // Line 2 was good, but a file with any problem posts nothing.
            Assert.False(await db.Temperatures.AnyAsync(t => t.Date == new DateOnly(2026, 12, 2)));
        }

        var good = Write("good.csv", "date,low_f,high_f\n2026-12-01,8,25\n2026-12-02,-3,19\n");
        var imported = await fixture.RunAsync("collections", "temperature", "import", "--file", good);
        Assert.Equal(0, imported.ExitCode);
        Assert.Contains("good.csv: 2 days read; 1 added, 1 replaced, 0 unchanged.", imported.Output, StringComparison.Ordinal);
        await using (var db = fixture.Database.Context())
        {
            var days = await db.Temperatures.AsNoTracking().Where(t => t.Date >= new DateOnly(2026, 12, 1)).OrderBy(t => t.Date).ToListAsync();
            Assert.Equal([(new DateOnly(2026, 12, 1), 8, 25), (new DateOnly(2026, 12, 2), -3, 19)], days.Select(d => (d.Date, d.LowF, d.HighF)));
            var audit = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "DailyTemperature" && a.EntityId == 20261201).OrderBy(a => a.Id).ToListAsync();
            Assert.Equal(["Post temperature", "Replace temperature"], audit.Select(a => a.Action));
            Assert.Contains("12", audit[1].Before!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Door_hangers_print_the_days_stack_for_the_field_as_one_pdf()
    {
        // A day with no door hangers still gives the crew a valid PDF that says so; the stack itself is tested in DoorHangerNoticeTests.
        var outFile = Path.Combine(folder, "door-hangers.pdf");
        var printed = await fixture.RunAsync("collections", "notices", "door-hangers", "--date", "2026-12-01", "--out", outFile);
        Assert.Equal(0, printed.ExitCode);
        Assert.Contains("Wrote 1 pages of door hangers for 2026-12-01", printed.Output, StringComparison.Ordinal);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString((await File.ReadAllBytesAsync(outFile))[..4]), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
