using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;

namespace OpenCIS.Tests.Core.Payments;

public sealed class Bai2ParserTests
{
    // Two accounts in one group; the second account's 03 carries a summary amount (counted by its 49)
    // and its one item continues on an 88 record.
    private const string Good = """
        01,121000248,RIVERBEND,261120,0600,7,,,2/
        02,RIVERBEND,121000248,1,261119,,USD,2/
        03,5550001,USD/
        16,115,12345,0,CHK1001,00000018,SMITH J/
        16,115,5000,0,CHK1002,00000026,/
        49,17345,4/
        03,5550002,USD,100,2500,1,0/
        16,115,2500,Z,CHK1003,
        88,00000034,PAID IN FULL
        49,5000,4/
        98,22345,2,10/
        99,22345,1,12/
        """;

    [Fact]
    public void A_good_file_gives_its_items_with_the_customer_reference_as_the_account_number_and_the_group_date()
    {
        var result = Bai2Parser.Parse(Good);

        Assert.Empty(result.Errors);
        var file = result.File!;
        Assert.Equal(Money.FromCents(22345), file.ControlTotal);
        Assert.Equal(12, file.RecordCount);
        Assert.Equal(["00000018", "00000026", "00000034"], file.Items.Select(i => i.CustomerReference));
        Assert.Equal([12345L, 5000, 2500], file.Items.Select(i => i.Amount.Cents));
        Assert.Equal([4, 5, 8], file.Items.Select(i => i.Record));
        Assert.All(file.Items, i => Assert.Equal(new DateOnly(2026, 11, 19), i.DepositDate));
        Assert.Equal("CHK1001", file.Items[0].BankReference);
        Assert.Equal("SMITH J", file.Items[0].Text);
        Assert.Equal("PAID IN FULL", file.Items[2].Text);
    }

    [Theory]
    [InlineData("49,17345,4/", "49,17344,4/", 6, "account control total")]
    [InlineData("49,17345,4/", "49,17345,5/", 6, "number of records")]
    [InlineData("98,22345,2,10/", "98,22346,2,10/", 11, "group control total")]
    [InlineData("98,22345,2,10/", "98,22345,3,10/", 11, "number of accounts")]
    [InlineData("99,22345,1,12/", "99,22345,1,13/", 12, "number of records")]
    [InlineData("99,22345,1,12/", "99,2234X,1,12/", 12, "file control total")]
    [InlineData("16,115,5000,0,CHK1002", "16,115,50.00,0,CHK1002", 5, "amount")]
    [InlineData("16,115,5000,0,CHK1002", "16,475,5000,0,CHK1002", 5, "type code")]
    [InlineData("16,115,5000,0,CHK1002", "16,115,5000,Q,CHK1002", 5, "funds type")]
    [InlineData("02,RIVERBEND,121000248,1,261119", "02,RIVERBEND,121000248,1,261319", 2, "as-of date")]
    [InlineData("CHK1002,00000026", "CHK1002,0000\u000000026", 5, "record")]
    [InlineData("SMITH J/", "SMITH\u0001J/", 4, "record")]
    [InlineData("88,00000034,PAID", "88,00000034\tPAID", 9, "record")]
    public void A_bad_record_is_named_by_its_record_number_and_field(string from, string to, int record, string field)
    {
        var result = Bai2Parser.Parse(Good.Replace(from, to, StringComparison.Ordinal));

        Assert.Null(result.File);
        Assert.Contains(result.Errors, e => e.Record == record && e.Field == field);
    }

    [Fact]
    public void A_missing_trailer_or_a_stray_record_is_reported()
    {
        var noTrailer = Bai2Parser.Parse(Good.Replace("99,22345,1,12/", "", StringComparison.Ordinal));
        Assert.Contains(noTrailer.Errors, e => e.Field == "file" && e.Message.Contains("99", StringComparison.Ordinal));

        var stray = Bai2Parser.Parse(Good.Replace("16,115,5000,0,CHK1002,00000026,/", "17,115,5000/", StringComparison.Ordinal));
        Assert.Contains(stray.Errors, e => e.Record == 5 && e.Field == "record code");

        var noHeader = Bai2Parser.Parse("99,0,0,1/");
        Assert.Contains(noHeader.Errors, e => e.Record == 1 && e.Field == "record code");
    }

    [Fact]
    public void The_writer_writes_what_the_parser_reads_back()
    {
        var text = Bai2Writer.Write("121000248", "RIVERBEND", new DateTime(2026, 11, 20, 6, 0, 0), "1", new DateOnly(2026, 11, 19),
        [
            new Bai2Account("5550001", [new Bai2Item(Money.FromCents(100), "00000018", "A1"), new Bai2Item(Money.FromCents(250), "00000026", null)]),
            new Bai2Account("5550002", []),
        ]);

        var file = Bai2Parser.Parse(text).File!;

        Assert.Equal(Money.FromCents(350), file.ControlTotal);
        Assert.Equal(2, file.Items.Count);
        Assert.Null(file.Items[1].BankReference);
    }
}
