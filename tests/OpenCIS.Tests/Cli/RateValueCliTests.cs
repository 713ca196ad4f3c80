using Microsoft.EntityFrameworkCore;

namespace OpenCIS.Tests.Cli;

/// <summary>
/// <c>opencis tariff values list|set|import</c> and <c>opencis premises areas set|import</c> against a real database
/// (the business date is 2026-11-22): each refusal names the option or the file's line and field and exits 1.
/// </summary>
public sealed class RateValueCliTests(CliDatabaseFixture fixture) : IClassFixture<CliDatabaseFixture>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("opencis-rate-value-cli-").FullName;

    private string Write(string name, string text)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Values_are_set_listed_and_imported_whole_and_a_value_in_force_is_not_corrected()
    {
        var set = await fixture.RunAsync("tariff", "values", "set", "CLI_PPA", "--from", "2026-11-01", "--value", "0.0123");
        Assert.Equal(0, set.ExitCode);
        Assert.Contains("CLI_PPA is 0.0123 from 2026-11-01.", set.Output, StringComparison.Ordinal);

        var history = await fixture.RunAsync("tariff", "values", "set", "CLI_PPA", "--from", "2026-11-01", "--value", "0.02");
        Assert.Equal(1, history.ExitCode);
        Assert.Contains("--from: CLI_PPA has been 0.0123 since 2026-11-01, and a value in force is history", history.Output, StringComparison.Ordinal);

        var notANumber = await fixture.RunAsync("tariff", "values", "set", "CLI_PPA", "--from", "2026-12-01", "--value", "cheap");
        Assert.Equal(1, notANumber.ExitCode);
        Assert.Contains("--value: 'cheap' is not a number.", notANumber.Output, StringComparison.Ordinal);
        var tooFine = await fixture.RunAsync("tariff", "values", "set", "CLI_PPA", "--from", "2026-12-01", "--value", "0.0000001");
        Assert.Equal(1, tooFine.ExitCode);
        Assert.Contains("--value: The value 0.0000001 has more than six decimals.", tooFine.Output, StringComparison.Ordinal);
        var badDate = await fixture.RunAsync("tariff", "values", "set", "CLI_PPA", "--from", "2026-12-32", "--value", "0.01");
        Assert.Equal(1, badDate.ExitCode);
        Assert.Contains("--from: '2026-12-32' is not a date in the form YYYY-MM-DD.", badDate.Output, StringComparison.Ordinal);

        var bad = Write("bad.csv", "name,effective_from,value\nCLI_PPA,2026-12-01,0.015\nCLI_PPA,2026-11-01,0.02\n1PPA,2027-01-01,0.01\n");
        var refused = await fixture.RunAsync("tariff", "values", "import", "--file", bad);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("bad.csv line 3, field effective_from: CLI_PPA has been 0.0123 since 2026-11-01", refused.Output, StringComparison.Ordinal);
        Assert.Contains("bad.csv line 4, field name: '1PPA' is not a name", refused.Output, StringComparison.Ordinal);
        Assert.Contains("bad.csv has 2 problems; nothing was imported.", refused.Output, StringComparison.Ordinal);
        await using (var db = fixture.Database.Context())
        {
            Assert.False(await db.RateValues.AnyAsync(v => v.Name == "CLI_PPA" && v.EffectiveFrom == new DateOnly(2026, 12, 1)));
        }

        var good = await fixture.RunAsync("tariff", "values", "import", "--file", Write("good.csv", "name,effective_from,value\nCLI_PPA,2026-12-01,0.015\nheating_value,2026-11-01,1.037\n"));
        Assert.Equal(0, good.ExitCode);
        Assert.Contains("good.csv: 2 values read; 2 added, 0 corrected, 0 unchanged.", good.Output, StringComparison.Ordinal);

        var list = await fixture.RunAsync("tariff", "values", "list", "--name", "CLI_PPA");
        Assert.Equal(0, list.ExitCode);
        var rows = list.Output.Split('\n').Where(l => l.Contains("CLI_PPA", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Matches(@"CLI_PPA\s*│\s*2026-12-01\s*│\s*0\.015\s*│\s*cli:", rows[0]);
        Assert.Matches(@"CLI_PPA\s*│\s*2026-11-01\s*│\s*0\.0123\s*│", rows[1]);
        Assert.DoesNotContain("heating_value", list.Output, StringComparison.Ordinal);
        Assert.Contains("2 values.", list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parcel_areas_are_set_on_every_premise_of_the_parcel_and_a_file_with_an_unknown_parcel_changes_nothing()
    {
        var premises = Write("premises.csv", "address_line1,city,state,zip,parcel_id,owner_of_record,services\n"
            + "30 Cedar Ln,Riverbend,OR,97401,R-CED-00030,Cedar Homes,water;sewer;stormwater\n"
            + "32 Cedar Ln,Riverbend,OR,97401,R-CED-00032,Cedar Homes,water;sewer;stormwater\n");
        Assert.Equal(0, (await fixture.RunAsync("premises", "import", "--file", premises)).ExitCode);

        var set = await fixture.RunAsync("premises", "areas", "set", "r-ced-00030", "--sqft", "3,250");
        Assert.Equal(0, set.ExitCode);
        Assert.Contains("Parcel R-CED-00030: impervious area 3,250 sq ft on 1 premise.", set.Output, StringComparison.Ordinal);

        var unknown = await fixture.RunAsync("premises", "areas", "set", "R-NONE", "--sqft", "100");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("No premise is on parcel 'R-NONE'.", unknown.Output, StringComparison.Ordinal);
        var negative = await fixture.RunAsync("premises", "areas", "set", "R-CED-00030", "--sqft", "-4");
        Assert.Equal(1, negative.ExitCode);
        Assert.Contains("--sqft: The impervious area -4 sq ft is less than none.", negative.Output, StringComparison.Ordinal);
        Assert.Equal(1, (await fixture.RunAsync("premises", "areas", "set", "R-CED-00030")).ExitCode);

        var bad = Write("gis.csv", "parcel_id,impervious_sqft\nR-CED-00032,4100\nR-NONE,2000\n");
        var refused = await fixture.RunAsync("premises", "areas", "import", "--file", bad);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("gis.csv line 3, field parcel_id: no premise is on parcel 'R-NONE'", refused.Output, StringComparison.Ordinal);
        await using (var db = fixture.Database.Context())
        {
            Assert.Null(await db.Premises.Where(p => p.ParcelId == "R-CED-00032").Select(p => p.ImperviousArea).SingleAsync());
        }

        var good = await fixture.RunAsync("premises", "areas", "import", "--file", Write("gis-good.csv", "parcel_id,impervious_sqft\nR-CED-00032,4100\nR-CED-00030,3250\n"));
        Assert.Equal(0, good.ExitCode);
        Assert.Contains("gis-good.csv: 2 parcels read; 1 premise changed.", good.Output, StringComparison.Ordinal);

        var cleared = await fixture.RunAsync("premises", "areas", "set", "R-CED-00032", "--clear");
        Assert.Equal(0, cleared.ExitCode);
        Assert.Contains("Parcel R-CED-00032: impervious area cleared on 1 premise.", cleared.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
