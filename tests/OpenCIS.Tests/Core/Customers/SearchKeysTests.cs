using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Customers;

namespace OpenCIS.Tests.Core.Customers;

public sealed class SearchKeysTests
{
    [Theory]
    [InlineData("(541) 555-0101", "5415550101")]
    [InlineData("541.555.0101", "5415550101")]
    [InlineData("+1 541 555 0101", "5415550101")]
    [InlineData("1-541-555-0101", "5415550101")]
    [InlineData("541-555-0101 ext. 23", "5415550101")]
    [InlineData("541-555-0101x23", "5415550101")]
    [InlineData("555-0101", "5550101")]
    [InlineData("none", null)]
    [InlineData("  ", null)]
    [InlineData(null, null)]
    public void A_phone_is_kept_for_search_as_its_digits(string? phone, string? expected) => Assert.Equal(expected, SearchKeys.PhoneDigits(phone));

    [Fact]
    public void An_email_is_kept_for_search_trimmed_and_in_lower_case()
    {
        Assert.Equal("ada.lane@example.org", SearchKeys.Email("  Ada.Lane@Example.ORG "));
        Assert.Null(SearchKeys.Email(" "));
    }

    [Fact]
    public void However_a_ten_digit_number_is_punctuated_its_key_is_its_digits()
    {
        var separators = new[] { "", " ", "-", ".", "/", ") ", " - " };
        var phones = Gen.Choose(0, 9).ArrayOf(10).SelectMany(digits => Gen.Elements(separators).ArrayOf(3), (digits, seps) => (digits, seps))
            .SelectMany(x => Gen.Elements("", "(", "+1 ", "1-"), (x, prefix) => (x.digits, x.seps, prefix));
        Prop.ForAll(phones.ToArbitrary(), p =>
        {
            var d = string.Concat(p.digits);
            var typed = $"{p.prefix}{d[..3]}{p.seps[0]}{d[3..6]}{p.seps[1]}{d[6..]}";
            return SearchKeys.PhoneDigits(typed) == d;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_name_is_looked_up_surname_first_and_a_street_line_as_written_both_in_lower_case()
    {
        Assert.Equal("mcclure aaron", SearchKeys.Name("Aaron  McClure", person: true));
        Assert.Equal("o'brien mary ann", SearchKeys.Name("Mary Ann O'Brien", person: true));
        Assert.Equal("riverbend hardware co", SearchKeys.Name("Riverbend Hardware, Co", person: false));
        Assert.Equal("1234 oak st", SearchKeys.Address(" 1234  Oak St "));
        Assert.Equal(["aaron mcclure", "mcclure aaron"], SearchKeys.NameQueries("AARON McClure"));
        Assert.Equal(["mcclure"], SearchKeys.NameQueries(" McClure "));
    }

    [Fact]
    public void A_name_typed_in_another_case_or_spacing_has_the_same_key()
    {
        var names = Gen.Elements("Aaron McClure", "Mary Ann O'Brien", "Joyce Cummings", "Li Wei", "Kirstin Jacobi")
            .SelectMany(_ => Gen.Choose(0, 3).ArrayOf(4), (name, spaces) => (name, spaces))
            .SelectMany(_ => Gen.Elements(true, false), (x, upper) => (x.name, x.spaces, upper));
        Prop.ForAll(names.ToArbitrary(), x =>
        {
            var typed = string.Join(new string(' ', 1 + x.spaces[0]), x.name.Split(' ')) + new string(' ', x.spaces[1]);
            typed = new string(' ', x.spaces[2]) + (x.upper ? typed.ToUpperInvariant() : typed.ToLowerInvariant());
            return SearchKeys.Name(typed, person: true) == SearchKeys.Name(x.name, person: true);
        }).QuickCheckThrowOnFailure();
    }
}
