using OpenCIS.UseCases.Collections;

namespace OpenCIS.Tests.Collections;

/// <summary>
/// The notice templates are checked before they are stored: the default templates pass; a template that does
/// not parse, uses a variable a notice does not have, or calls a filter Liquid does not know is refused with
/// the line and the field named.
/// </summary>
public sealed class NoticeTemplateTests
{
    public static string Default(string kind) => File.ReadAllText(RepositoryExamples.Path("collections", "notices", $"{kind}.liquid"));

    /// <summary>The Spanish translation of a default template (examples/collections/notices/es).</summary>
    public static string Spanish(string kind) => File.ReadAllText(RepositoryExamples.Path("collections", "notices", "es", $"{kind}.liquid"));

    [Fact]
    public void The_default_templates_pass_and_the_final_notice_prints_the_disconnect_date_and_the_amount()
    {
        foreach (var kind in NoticeTemplates.Kinds)
        {
            Assert.Empty(NoticeTemplates.Check($"{kind}.liquid", Default(kind), kind));
            Assert.Empty(NoticeTemplates.Check($"es/{kind}.liquid", Spanish(kind), kind));
        }

        var model = NoticeTemplates.Variables.Keys.ToDictionary(k => k, k => $"<{k}>");
        model["disconnect.earliest_date"] = "December 14, 2026";
        model["disconnect.amount_to_avoid"] = "$312.50";
        var text = NoticeTemplates.Render(NoticeTemplates.Parse(Default(NoticeTemplates.FinalNotice)), model);
        Assert.Contains("pay $312.50 before December 14, 2026", text, StringComparison.Ordinal);
        Assert.Contains("disconnected on or after\nDecember 14, 2026", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_that_does_not_parse_is_refused_naming_its_line()
    {
        var problem = Assert.Single(NoticeTemplates.Check("bad.liquid", "Dear {{ recipient.name }},\n\nYou owe\n{{ past_due.amount \nThanks"));
        Assert.Equal(4, problem.Line);
        Assert.Equal("liquid", problem.Field);
        Assert.Contains("does not parse", problem.Message, StringComparison.Ordinal);

        var unclosed = Assert.Single(NoticeTemplates.Check("bad.liquid", "Hello\n{% if past_due.days %}\nlate"));
        Assert.Equal("liquid", unclosed.Field);
    }

    [Fact]
    public void A_variable_a_notice_does_not_have_is_refused_naming_its_line_and_field()
    {
        var text = "Dear {{ recipient.name }},\n{% assign total = past_due.amount %}{{ total }}\nPay by {{ disconnect.earliest_dat }}\n{{ account.number | upcase }} {{ x | shout }}";
        var problems = NoticeTemplates.Check("typo.liquid", text);
        Assert.Equal(3, problems.Count);
        Assert.Equal((3, "disconnect.earliest_dat"), (problems[0].Line, problems[0].Field));
        Assert.Contains("disconnect.earliest_date", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains(problems, p => p.Field == "x" && p.Line == 4);
        Assert.Contains(problems, p => p.Field == "shout" && p.Line == 4);
    }
}
