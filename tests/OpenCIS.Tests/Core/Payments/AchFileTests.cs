using OpenCIS.Core.Common;
using OpenCIS.Core.Payments.Ach;

namespace OpenCIS.Tests.Core.Payments;

public sealed class AchFileTests
{
    private static readonly DateTime Created = new(2026, 12, 1, 14, 30, 0);
    private static readonly DateOnly Effective = new(2026, 12, 2);

    internal static AchDebit Debit(long sequence, long cents, AchEntryClass entryClass = AchEntryClass.Ppd, string routing = "011000015", AchAccountType type = AchAccountType.Checking, bool prenote = false) =>
        new(entryClass, routing, "12345678901", type, Money.FromCents(cents), "00000018", "JANE Q RESIDENT", prenote, sequence);

    [Theory]
    [InlineData("011000015", true)]
    [InlineData("091000019", true)]
    [InlineData("021000021", true)]
    [InlineData("011000016", false)]
    [InlineData("01100001", false)]
    [InlineData("0110000150", false)]
    [InlineData("01100001A", false)]
    [InlineData("000000000", false)]
    [InlineData("", false)]
    public void Routing_numbers_are_checked_with_the_3_7_1_weights(string routing, bool valid)
    {
        Assert.Equal(valid, RoutingNumbers.IsValid(routing));
    }

    [Fact]
    public void Every_single_mistyped_digit_of_a_routing_number_is_caught()
    {
        const string good = "021000021";
        for (var position = 0; position < 9; position++)
        {
            for (var digit = '0'; digit <= '9'; digit++)
            {
                if (good[position] == digit)
                {
                    continue;
                }

                var typo = good[..position] + digit + good[(position + 1)..];
                Assert.False(RoutingNumbers.IsValid(typo), typo);
            }
        }

        // 3*0+7*2+1*1+3*0+7*0+1*0+3*0+7*2 = 29, so the ninth digit is 1.
        Assert.Equal('1', RoutingNumbers.CheckDigit("02100002"));
    }

    [Fact]
    public void A_file_of_ppd_and_web_debits_has_one_batch_each_and_records_in_their_columns()
    {
        var debits = new[]
        {
            Debit(1, 12_345),
            Debit(2, 6_789, AchEntryClass.Web, routing: "021000021", type: AchAccountType.Savings),
            Debit(3, 0, prenote: true),
        };

        var file = AchDebitFile.Build(AchOriginator.Demo, Effective, Created, 'A', debits);
        var text = NachaWriter.Write(file);
        var records = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(10, records.Length);
        Assert.All(records, r => Assert.Equal(94, r.Length));
        Assert.Equal("101 0910000191234567890261201" + "1430A094101", records[0][..40]);
        Assert.Equal("5225CITY OF DEMO", records[1][..16]);
        Assert.Equal("PPD", records[1][50..53]);
        Assert.Equal("261202", records[1][69..75]);
        Assert.Equal("091000010000001", records[1][79..94]);
        Assert.Equal("627011000015" + "12345678901      " + "0000012345", records[2][..39]);
        Assert.Equal("091000010000001", records[2][79..94]);
        Assert.Equal("628", records[3][..3]);
        Assert.Equal("0000000000", records[3][29..39]);
        // Batch 1: two entries, hash 1100001 * 2, debits $123.45.
        Assert.Equal("8225000002" + "0002200002" + "000000012345" + "000000000000", records[4][..44]);
        Assert.Equal("WEB", records[5][50..53]);
        Assert.Equal("637021000021", records[6][..12]);
        Assert.Equal("R ", records[6][76..78]);
        Assert.Equal("8225000001" + "0002100002" + "000000006789", records[7][..32]);
        // File: 2 batches, 1 block, 3 entries, hash 2200002 + 2100002, debits $191.34.
        Assert.Equal("9000002000001" + "00000003" + "0004300004" + "000000019134" + "000000000000", records[8][..55]);
        Assert.Equal(new string('9', 94), records[9]);

        var read = NachaReader.Read(text);
        Assert.True(read.IsValid, string.Join("; ", read.Errors));
        Assert.Equal(3, read.Entries.Count);
        Assert.Equal(file.TotalDebits, read.File!.TotalDebits);
    }

    [Fact]
    public void The_entry_hash_keeps_the_last_ten_digits_of_the_sum()
    {
        var debits = Enumerable.Range(1, 150).Select(i => Debit(i, 100, routing: "999999992")).ToArray();
        Assert.True(RoutingNumbers.IsValid("999999992"));

        var file = AchDebitFile.Build(AchOriginator.Demo, Effective, Created, 'A', debits);

        Assert.Equal(150L * 99_999_999 % 10_000_000_000, file.EntryHash);
        Assert.True(NachaReader.Read(NachaWriter.Write(file)).IsValid);
    }

    [Fact]
    public void A_file_that_fills_its_blocks_exactly_gets_no_padding()
    {
        // 1 + (1 + 6 + 1) + 1 = 10 records.
        var file = AchDebitFile.Build(AchOriginator.Demo, Effective, Created, 'A', [.. Enumerable.Range(1, 6).Select(i => Debit(i, 500))]);
        var records = NachaWriter.Write(file).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(10, records.Length);
        Assert.StartsWith("9", records[9], StringComparison.Ordinal);
        Assert.Equal("000001", records[9][7..13]);
    }

    [Fact]
    public void A_wrong_total_a_short_record_and_a_bad_check_digit_are_reported_by_record_and_field()
    {
        var text = NachaWriter.Write(AchDebitFile.Build(AchOriginator.Demo, Effective, Created, 'A', [Debit(1, 12_345), Debit(2, 100)]));
        var records = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        records[2] = records[2][..11] + "6" + records[2][12..];
        records[3] = records[3][..90];
        records[4] = records[4][..20] + "000000099999" + records[4][32..];

        var read = NachaReader.Read(string.Join('\n', records) + "\n");

        Assert.False(read.IsValid);
        Assert.Contains(read.Errors, e => e is { RecordNumber: 3, Field: "check digit" });
        Assert.Contains(read.Errors, e => e is { RecordNumber: 4, Field: "record length" });
        Assert.Contains(read.Errors, e => e is { RecordNumber: 5, Field: "total debit entry dollar amount" });
    }

    [Fact]
    public void A_record_holding_a_control_character_is_refused_naming_the_record()
    {
        var text = NachaWriter.Write(AchDebitFile.Build(AchOriginator.Demo, Effective, Created, 'A', [Debit(1, 12_345), Debit(2, 100)]));
        var records = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        records[2] = records[2][..60] + "\0" + records[2][61..];

        var read = NachaReader.Read(string.Join('\n', records) + "\n");

        Assert.False(read.IsValid);
        var error = Assert.Single(read.Errors, e => e.RecordNumber == 3);
        Assert.Equal("record", error.Field);
        Assert.Contains("U+0000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_not_blocked_in_tens_is_refused()
    {
        var text = NachaWriter.Write(AchDebitFile.Build(AchOriginator.Demo, Effective, Created, 'A', [Debit(1, 100)]));
        var unpadded = string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(r => r != new string('9', 94)));

        var read = NachaReader.Read(unpadded);

        Assert.Contains(read.Errors, e => e.Field == "blocking");
    }

    [Fact]
    public void A_prenote_with_money_or_a_debit_without_is_refused()
    {
        Assert.Throws<DomainException>(() => AchDebitFile.Build(AchOriginator.Demo, Effective, Created, 'A', [Debit(1, 100, prenote: true)]));
        Assert.Throws<DomainException>(() => AchDebitFile.Build(AchOriginator.Demo, Effective, Created, 'A', [Debit(1, 0)]));
        Assert.Throws<DomainException>(() => AchDebitFile.Build(AchOriginator.Demo, Effective, Created, 'A', [Debit(1, 100, routing: "011000016")]));
    }

    [Fact]
    public void Refund_credits_go_in_a_credits_only_ppd_batch_that_validates_and_come_back_as_credit_returns()
    {
        var file = AchDebitFile.Build(AchOriginator.Demo, Effective, Created, 'A',
            [Debit(1, 12_345), Debit(2, 2_500) with { IsCredit = true }, Debit(3, 1_000, type: AchAccountType.Savings) with { IsCredit = true }]);

        var read = NachaReader.Read(NachaWriter.Write(file));

        Assert.True(read.IsValid, string.Join("; ", read.Errors));
        var refunds = read.File!.Batches.Single(b => b.ServiceClassCode == NachaBatch.CreditsOnlyServiceClass);
        Assert.Equal(("PPD", "REFUND"), (refunds.StandardEntryClass, refunds.EntryDescription));
        Assert.Equal([AchTransactionCodes.CheckingCredit, AchTransactionCodes.SavingsCredit], refunds.Entries.Select(e => e.TransactionCode).ToArray());
        Assert.Equal((12_345L, 3_500L), (read.File.Batches.Sum(b => b.TotalDebits.Cents), read.File.Batches.Sum(b => b.TotalCredits.Cents)));
        Assert.Throws<DomainException>(() => AchDebitFile.Build(AchOriginator.Demo, Effective, Created, 'A', [Debit(4, 0) with { IsCredit = true }]));

        var returned = AchReturnFile.Read(NachaWriter.Write(AchReturnFile.For(file, [("091000010000002", "R03"), ("091000010000001", "R01")], new DateOnly(2026, 12, 4))));
        Assert.True(returned.IsValid, string.Join("; ", returned.Errors));
        Assert.Equal([("091000010000001", false), ("091000010000002", true)], returned.Returns.Select(r => (r.OriginalTraceNumber, r.ReturnsCredit)).OrderBy(r => r.OriginalTraceNumber).ToArray());
    }

    [Fact]
    public void A_return_file_gives_each_return_with_its_reason_and_original_trace()
    {
        var debits = AchDebitFile.Build(AchOriginator.Demo, Effective, Created, 'A', [Debit(1, 12_345), Debit(2, 6_789, AchEntryClass.Web, type: AchAccountType.Savings), Debit(3, 500)]);
        var returnFile = AchReturnFile.For(debits, [("091000010000001", "R01"), ("091000010000002", "R02")], new DateOnly(2026, 12, 4));
        var text = NachaWriter.Write(returnFile);

        var result = AchReturnFile.Read(text);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(2, result.Returns.Count);
        var first = result.Returns[0];
        Assert.Equal(("091000010000001", 12_345L, "R01", false), (first.OriginalTraceNumber, first.Amount.Cents, first.Reason.Code, first.Reason.CancelsEnrollment));
        Assert.Equal(("R02", true, 6_789L), (result.Returns[1].Reason.Code, result.Returns[1].Reason.CancelsEnrollment, result.Returns[1].Amount.Cents));
        Assert.Contains("\n636", text, StringComparison.Ordinal);
        Assert.Contains("\n799R01091000010000001", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_return_file_with_an_unknown_reason_or_a_wrong_control_total_returns_nothing()
    {
        var debits = AchDebitFile.Build(AchOriginator.Demo, Effective, Created, 'A', [Debit(1, 12_345), Debit(2, 500)]);
        var text = NachaWriter.Write(AchReturnFile.For(debits, [("091000010000001", "R01"), ("091000010000002", "R99")], new DateOnly(2026, 12, 4)));

        var unknown = AchReturnFile.Read(text);
        Assert.Empty(unknown.Returns);
        var error = Assert.Single(unknown.Errors);
        Assert.Equal((6, "return reason code"), (error.RecordNumber, error.Field));

        var records = NachaWriter.Write(AchReturnFile.For(debits, [("091000010000001", "R01")], new DateOnly(2026, 12, 4))).Split('\n');
        records[5] = records[5][..1] + "000002" + records[5][7..];
        var file = records.Select((r, i) => i == 5 ? r[..13] + "00000009" + r[21..] : r);
        var wrong = AchReturnFile.Read(string.Join('\n', file));
        Assert.Empty(wrong.Returns);
        Assert.Contains(wrong.Errors, e => e is { RecordNumber: 6, Field: "entry/addenda count" });
        Assert.Contains(wrong.Errors, e => e is { RecordNumber: 6, Field: "batch count" });
    }
}

public sealed class NachaReaderTests
{
    private static string[] Records() =>
        NachaWriter.Write(AchDebitFile.Build(AchOriginator.Demo, new DateOnly(2026, 12, 2), new DateTime(2026, 12, 1, 8, 0, 0), 'A', [AchFileTests.Debit(1, 100), AchFileTests.Debit(2, 200)]))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void An_empty_file_is_refused()
    {
        var read = NachaReader.Read("");

        Assert.Contains(read.Errors, e => e.Field == "file");
        Assert.Null(read.File);
    }

    [Fact]
    public void Records_out_of_order_are_named()
    {
        var records = Records();
        (records[2], records[4]) = (records[4], records[2]);

        var read = NachaReader.Read(string.Join('\n', records));

        Assert.Contains(read.Errors, e => e is { RecordNumber: 3, Field: "record type" });
    }

    [Fact]
    public void A_wrong_entry_hash_and_block_count_in_the_file_control_are_named()
    {
        var records = Records();
        var control = records[5];
        records[5] = control[..7] + "000009" + control[13..21] + "9999999999" + control[31..];

        var read = NachaReader.Read(string.Join('\n', records));

        Assert.Contains(read.Errors, e => e is { RecordNumber: 6, Field: "block count" });
        Assert.Contains(read.Errors, e => e is { RecordNumber: 6, Field: "entry hash" });
        Assert.False(read.IsValid);
    }

    [Fact]
    public void A_prenote_carrying_money_and_letters_in_an_amount_are_named()
    {
        var records = Records();
        records[2] = "628" + records[2][3..29] + "00000001X0" + records[2][39..];

        var read = NachaReader.Read(string.Join('\n', records));

        Assert.Contains(read.Errors, e => e is { RecordNumber: 3, Field: "amount" });
    }

    [Fact]
    public void Windows_line_endings_read_the_same()
    {
        var read = NachaReader.Read(string.Join("\r\n", Records()) + "\r\n");

        Assert.True(read.IsValid, string.Join("; ", read.Errors));
    }
}
