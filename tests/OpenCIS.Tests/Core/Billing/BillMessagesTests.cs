using System.Collections.Immutable;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;

namespace OpenCIS.Tests.Core.Billing;

/// <summary>Which bill messages a bill prints: its date within each message's range (both ends inclusive) and every part of the audience matching.</summary>
public sealed class BillMessagesTests
{
    private static readonly DateOnly Start = new(2026, 11, 1);
    private static readonly DateOnly End = new(2026, 11, 30);

    private static readonly BillRecipient ResidentialOnRouteSeven = new("C1", "Residential", "R7", ImmutableHashSet.Create("SENIOR"));

    private static BillMessage Message(long id, BillMessageTarget target, DateOnly? startsOn = null, DateOnly? endsOn = null) =>
        new(id, $"Message {id}", startsOn ?? Start, endsOn ?? End, target);

    public static TheoryData<string, DateOnly, BillMessageTarget, bool> Cases => new()
    {
        { "every bill, on the first day", Start, BillMessageTarget.Everyone, true },
        { "every bill, on the last day", End, BillMessageTarget.Everyone, true },
        { "every bill, the day before it starts", Start.AddDays(-1), BillMessageTarget.Everyone, false },
        { "every bill, the day after it ends", End.AddDays(1), BillMessageTarget.Everyone, false },
        { "its cycle", Start, new BillMessageTarget(CycleCode: "C1"), true },
        { "its cycle, written in other case", Start, new BillMessageTarget(CycleCode: "c1"), true },
        { "another cycle", Start, new BillMessageTarget(CycleCode: "C2"), false },
        { "its class", Start, new BillMessageTarget(AccountClass: "Residential"), true },
        { "another class", Start, new BillMessageTarget(AccountClass: "Commercial"), false },
        { "its route", Start, new BillMessageTarget(RouteCode: "R7"), true },
        { "another route", Start, new BillMessageTarget(RouteCode: "R8"), false },
        { "a program it is in", Start, new BillMessageTarget(ProgramCode: "SENIOR"), true },
        { "a program it is not in", Start, new BillMessageTarget(ProgramCode: "LIHEAP"), false },
        { "its cycle and class", Start, new BillMessageTarget("C1", "Residential"), true },
        { "its cycle but another class", Start, new BillMessageTarget("C1", "Commercial"), false },
        { "all four its own", Start, new BillMessageTarget("C1", "Residential", "R7", "SENIOR"), true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_message_prints_on_a_bill_dated_in_its_range_whose_account_matches_every_part_of_its_audience(string what, DateOnly billDate, BillMessageTarget target, bool applies)
    {
        Assert.True(BillMessages.AppliesTo(Message(1, target), billDate, ResidentialOnRouteSeven) == applies, what);
    }

    [Fact]
    public void An_account_on_no_route_gets_no_route_message()
    {
        var noRoute = ResidentialOnRouteSeven with { RouteCode = null };
        Assert.False(BillMessages.AppliesTo(Message(1, new BillMessageTarget(RouteCode: "R7")), Start, noRoute));
    }

    [Fact]
    public void A_bill_prints_its_messages_earliest_starting_first_then_by_id_and_at_most_five()
    {
        var messages = new[]
        {
            Message(9, BillMessageTarget.Everyone, Start.AddDays(3)),
            Message(4, BillMessageTarget.Everyone, Start.AddDays(1)),
            Message(2, BillMessageTarget.Everyone, Start.AddDays(1)),
            Message(7, new BillMessageTarget(CycleCode: "C2")),
            Message(1, BillMessageTarget.Everyone, Start.AddDays(2)),
            Message(3, BillMessageTarget.Everyone, Start.AddDays(5)),
            Message(5, BillMessageTarget.Everyone, Start.AddDays(6)),
            Message(6, BillMessageTarget.Everyone),
        };

        var chosen = BillMessages.For(messages, Start.AddDays(10), ResidentialOnRouteSeven);

        Assert.Equal([6L, 2, 4, 1, 9], chosen.Select(m => m.Id));
        Assert.Equal("Message 6\nMessage 2\nMessage 4\nMessage 1\nMessage 9", BillMessages.Printed(chosen));
        Assert.Equal(["Message 6", "Message 2", "Message 4", "Message 1", "Message 9"], BillMessages.Read(BillMessages.Printed(chosen)).ToArray());
        Assert.Null(BillMessages.Printed([]));
        Assert.Empty(BillMessages.Read(null));
    }

    [Fact]
    public void A_message_is_kept_as_one_paragraph_with_its_codes_trimmed_and_blank_codes_none()
    {
        var kept = BillMessages.Validated(3, "  Water main work\r\n on Oak   Street. ", Start, Start, new BillMessageTarget(" C1 ", "", "  ", null));

        Assert.Equal("Water main work on Oak Street.", kept.Text);
        Assert.Equal(new BillMessageTarget("C1"), kept.Target);
        Assert.Equal("cycle C1", kept.Target.InWords());
        Assert.Equal("every bill", BillMessageTarget.Everyone.InWords());
        Assert.Equal("cycle C2, commercial accounts, route R7, program SENIOR", new BillMessageTarget("C2", "Commercial", "R7", "SENIOR").InWords());
    }

    [Theory]
    [InlineData(" \n ", "2026-11-01", "2026-11-30", null, "text")]
    [InlineData(null, "2026-11-01", "2026-11-30", null, "text")]
    [InlineData("x", "2026-11-01", "2026-10-31", null, "endsOn")]
    [InlineData("x", "2026-11-01", "2026-11-30", "ROUTE 7", "routeCode")]
    [InlineData("x", "2026-11-01", "2026-11-30", "R123456789012345678901", "routeCode")]
    [InlineData("Ring\u0007", "2026-11-01", "2026-11-30", null, "text")]
    public void A_bad_message_is_refused_naming_its_field(string? text, string startsOn, string endsOn, string? route, string field)
    {
        var refused = Assert.Throws<DomainException>(() =>
            BillMessages.Validated(0, text, DateOnly.Parse(startsOn, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(endsOn, System.Globalization.CultureInfo.InvariantCulture), new BillMessageTarget(RouteCode: route)));
        Assert.Equal(field, refused.Field);
    }

    [Fact]
    public void A_message_of_five_hundred_characters_is_taken_and_one_more_is_refused()
    {
        Assert.Equal(500, BillMessages.Validated(0, new string('a', 500), Start, End, BillMessageTarget.Everyone).Text.Length);
        var refused = Assert.Throws<DomainException>(() => BillMessages.Validated(0, new string('a', 501), Start, End, BillMessageTarget.Everyone));
        Assert.Equal(("text", "A bill message is at most 500 characters; this one is 501."), (refused.Field, refused.Message));
    }
}
