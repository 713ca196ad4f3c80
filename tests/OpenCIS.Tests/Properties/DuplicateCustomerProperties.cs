using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Customers;

namespace OpenCIS.Tests.Properties;

/// <summary>
/// Duplicate detection over generated customers: the same customer keyed again with only case, spacing or
/// punctuation changed (in the name, the phone, the e-mail) is found, with the reason; a customer with another
/// name, birth date, phone and e-mail is not.
/// </summary>
public sealed class DuplicateCustomerProperties
{
    private static readonly Gen<string> Word =
        from length in Gen.Choose(2, 9)
        from letters in Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz".ToCharArray()), length)
        select char.ToUpperInvariant(letters[0]) + new string(letters[1..]);

    private sealed record Person(string[] Names, DateOnly Born, string Phone, string Email);

    private static readonly Gen<Person> People =
        from count in Gen.Choose(2, 4)
        from names in Gen.ArrayOf(Word, count)
        from born in Gen.Choose(0, 30_000).Select(d => new DateOnly(1920, 1, 1).AddDays(d))
        from area in Gen.Choose(201, 989)
        from line in Gen.Choose(0, 9_999_999)
        from mailbox in Word
        select new Person(names, born, $"{area}{line:D7}", $"{mailbox.ToLowerInvariant()}{line}@example.org");

    /// <summary>The name keyed another way: its case changed, spaces doubled or trimmed, punctuation between and inside the words.</summary>
    private static Gen<string> Rekeyed(Person person) =>
        from upper in Gen.Elements(true, false, false)
        from separators in Gen.ArrayOf(Gen.Elements(" ", "  ", " - ", "-", " . ", ". "), person.Names.Length - 1)
        from lead in Gen.Elements("", " ", "  ")
        from apostrophe in Gen.Choose(0, person.Names.Length)
        select lead + string.Concat(person.Names.Select((word, i) =>
            (i == apostrophe && word.Length > 2 ? word[..1] + "'" + word[1..] : word) is var w ? (upper ? w.ToUpperInvariant() : w.ToLowerInvariant()) + (i < separators.Length ? separators[i] : "") : "")) + lead;

    private static Gen<string> PhoneKeyed(string digits) => Gen.Elements(
        $"({digits[..3]}) {digits[3..6]}-{digits[6..]}",
        $"{digits[..3]}.{digits[3..6]}.{digits[6..]}",
        $"+1 {digits[..3]} {digits[3..6]} {digits[6..]}",
        $"{digits[..3]}-{digits[3..6]}-{digits[6..]}",
        digits);

    [Fact]
    public void A_customer_keyed_again_with_other_case_spacing_or_punctuation_is_found()
    {
        var cases =
            from person in People
            from name in Rekeyed(person)
            from phone in PhoneKeyed(person.Phone)
            from emailCase in Gen.Elements(true, false)
            select (person, name, phone, email: emailCase ? "  " + person.Email.ToUpperInvariant() + " " : person.Email);

        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var onFile = CustomerKeys.Of(string.Join(' ', c.person.Names), true, c.person.Born, null, c.person.Phone, c.person.Email);
            var byName = CustomerKeys.Of(c.name, true, c.person.Born, null, null, null);
            var byPhone = CustomerKeys.Of("Someone Else", true, null, null, c.phone, null);
            var byEmail = CustomerKeys.Of("Someone Else", true, null, null, null, c.email);
            return DuplicateCustomers.Reasons(byName, onFile).Contains(DuplicateReason.NameAndBirthDate)
                && DuplicateCustomers.Reasons(byPhone, onFile).SequenceEqual([DuplicateReason.Phone])
                && DuplicateCustomers.Reasons(byEmail, onFile).SequenceEqual([DuplicateReason.Email]);
        });

        Check.One(Generators.Config, property);
    }

    [Fact]
    public void A_different_customer_is_not_a_duplicate()
    {
        var pairs = from a in People from b in People select (a, b);
        var property = Prop.ForAll(pairs.ToArbitrary(), p =>
        {
            var differ = p.a.Born != p.b.Born && p.a.Phone != p.b.Phone && p.a.Email != p.b.Email;
            var found = DuplicateCustomers.Reasons(
                CustomerKeys.Of(string.Join(' ', p.b.Names), true, p.b.Born, null, p.b.Phone, p.b.Email),
                CustomerKeys.Of(string.Join(' ', p.a.Names), true, p.a.Born, null, p.a.Phone, p.a.Email));
            return !differ || found.Count == 0;
        });

        Check.One(Generators.Config, property);
    }

    [Fact]
    public void A_surname_written_first_with_a_comma_is_the_same_name()
    {
        Assert.Equal(DuplicateCustomers.NameKey("Mary-Ann O'Brien", true), DuplicateCustomers.NameKey("O'BRIEN, Mary Ann", true));
        Assert.Equal(DuplicateCustomers.NameKey("Mary Ann OBrien", true), DuplicateCustomers.NameKey("  mary   ann  o'brien ", true));
        Assert.NotEqual(DuplicateCustomers.NameKey("Mary Ann Brien", true), DuplicateCustomers.NameKey("Mary Ann OBrien", true));
    }
}
