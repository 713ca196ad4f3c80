using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Ast;
using OpenCIS.UseCases.Payments;

namespace OpenCIS.UseCases.Collections;

/// <summary>
/// The notice templates: Liquid (through Fluid), one per notice kind, checked before they are stored and
/// rendered with the notice's model. A template may use only the variables of <see cref="Variables"/> (and
/// what it assigns itself) and Fluid's standard filters, so a typing mistake is refused on save, naming its
/// line, instead of printing a blank on ten thousand notices.
/// </summary>
public static partial class NoticeTemplates
{
    public const string Reminder = "reminder";
    public const string FinalNotice = "final_notice";
    public const string OwnerNotice = "owner_notice";
    public const string DoorHanger = "door_hanger";

    /// <summary>Every notice kind, in the order the steps come.</summary>
    public static readonly IReadOnlyList<string> Kinds = [Reminder, FinalNotice, OwnerNotice, DoorHanger];

    /// <summary>The variables a template may use, with what each holds (dates and amounts come formatted).</summary>
    public static readonly IReadOnlyDictionary<string, string> Variables = new Dictionary<string, string>
    {
        ["utility.name"] = "the utility's name",
        ["utility.address"] = "the utility's address",
        ["utility.phone"] = "the utility's phone number",
        ["notice.date"] = "the notice's date, such as December 3, 2026",
        ["recipient.name"] = "who the notice is addressed to",
        ["recipient.address_line1"] = "the recipient's street address",
        ["recipient.city_state_zip"] = "the recipient's city, state and ZIP",
        ["account.number"] = "the account number",
        ["account.holder_name"] = "the account holder (the tenant on an owner notice)",
        ["account.service_address"] = "the service address",
        ["past_due.amount"] = "the amount past due, such as $312.50",
        ["past_due.days"] = "how many days past due",
        ["disconnect.earliest_date"] = "the earliest disconnect date (final and owner notices; empty otherwise)",
        ["disconnect.amount_to_avoid"] = "what to pay to avoid disconnection",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The largest template taken: far past any real notice.</summary>
    public const int TextLengthMax = Storage.Collections.CollectionNoticeTemplate.TextLengthMax;

    private static readonly FluidParser Parser = new();

    private static readonly TemplateOptions Options = new TemplateOptionsBuilder()
        .WithCultureInfo(CultureInfo.InvariantCulture)
        .WithMaxSteps(100_000)
        .Build();

    private static readonly FrozenSet<string> Filters = Options.Filters.Select(f => f.Key).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The kind named, in its stored form, or null when it is not a notice kind.</summary>
    public static string? KindOf(string? name) => Kinds.FirstOrDefault(k => string.Equals(k, name?.Trim().Replace('-', '_'), StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses and checks a template; every problem by line and field. Null problems means it may be stored.</summary>
    public static IReadOnlyList<FileError> Check(string fileName, string text)
    {
        if (text.Length > TextLengthMax)
        {
            return [new FileError(fileName, 1, "text", $"A template is at most {TextLengthMax:N0} characters; this one has {text.Length:N0}.")];
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return [new FileError(fileName, 1, "text", "The template is empty.")];
        }

        if (!Parser.TryParse(text, out var template, out var error))
        {
            var position = ErrorPosition().Match(error);
            var line = position.Success ? int.Parse(position.Groups[1].Value, CultureInfo.InvariantCulture) : 1;
            var message = error.Split('\n')[0].Trim();
            return [new FileError(fileName, line, "liquid", $"The template does not parse: {message}.")];
        }

        var uses = new UseCollector();
        uses.VisitTemplate(template);
        var problems = new List<FileError>();
        foreach (var path in uses.Paths.Distinct())
        {
            var root = path.Split('.')[0];
            if (uses.Locals.Contains(root) || root == "forloop" || Variables.ContainsKey(path))
            {
                continue;
            }

            var known = Variables.Keys.Where(v => v.StartsWith(root + ".", StringComparison.Ordinal)).ToList();
            var hint = known.Count > 0 ? $"; {root} has {string.Join(", ", known)}" : $"; the variables are {string.Join(", ", Variables.Keys)}";
            problems.Add(new FileError(fileName, LineOf(text, path), path, $"'{path}' is not a variable of a notice{hint}."));
        }

        foreach (var filter in uses.FilterNames.Distinct().Where(f => !Filters.Contains(f)))
        {
            problems.Add(new FileError(fileName, LineOf(text, filter), filter, $"'{filter}' is not a Liquid filter."));
        }

        return [.. problems.OrderBy(p => p.Line)];
    }

    /// <summary>Renders a checked template with a notice's model (the variables above, by their dotted names).</summary>
    public static string Render(IFluidTemplate template, IReadOnlyDictionary<string, string> model)
    {
        var groups = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, value) in model)
        {
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (!groups.TryGetValue(name[..dot], out var group))
            {
                groups[name[..dot]] = group = new Dictionary<string, object>(StringComparer.Ordinal);
            }

            ((Dictionary<string, object>)group)[name[(dot + 1)..]] = value;
        }

        var context = new TemplateContext(Options);
        foreach (var (name, group) in groups)
        {
            context.SetValue(name, Fluid.Values.FluidValue.Create(group, Options));
        }

        return template.Render(context, NullEncoder.Default).Replace("\r\n", "\n", StringComparison.Ordinal).Trim() + "\n";
    }

    /// <summary>A stored (so already checked) template, parsed for rendering.</summary>
    public static IFluidTemplate Parse(string text) =>
        Parser.TryParse(text, out var template, out var error) ? template : throw new InvalidOperationException($"A stored notice template does not parse: {error}");

    private static int LineOf(string text, string word)
    {
        var match = Regex.Match(text, $@"(?<![\w.]){Regex.Escape(word)}(?![\w])", RegexOptions.None, TimeSpan.FromSeconds(1));
        return match.Success ? text.AsSpan(0, match.Index).Count('\n') + 1 : 1;
    }

    [GeneratedRegex(@"at \((\d+):(\d+)\)")]
    private static partial Regex ErrorPosition();

    /// <summary>Collects the member paths a template reads, the names it assigns itself, and the filters it calls.</summary>
    private sealed class UseCollector : AstVisitor
    {
        public List<string> Paths { get; } = [];
        public HashSet<string> Locals { get; } = new(StringComparer.Ordinal);
        public List<string> FilterNames { get; } = [];

        protected override Expression VisitMemberExpression(MemberExpression memberExpression)
        {
            var names = memberExpression.Segments.TakeWhile(s => s is IdentifierSegment).Cast<IdentifierSegment>().Select(s => s.Identifier).ToList();
            if (names.Count > 0)
            {
                Paths.Add(string.Join('.', names.Take(2)));
            }

            return base.VisitMemberExpression(memberExpression);
        }

        protected override Statement VisitAssignStatement(AssignStatement assignStatement)
        {
            Locals.Add(assignStatement.Identifier);
            return base.VisitAssignStatement(assignStatement);
        }

        protected override Statement VisitCaptureStatement(CaptureStatement captureStatement)
        {
            Locals.Add(captureStatement.Identifier);
            return base.VisitCaptureStatement(captureStatement);
        }

        protected override Statement VisitForStatement(ForStatement forStatement)
        {
            Locals.Add(forStatement.Identifier);
            return base.VisitForStatement(forStatement);
        }

        protected override Expression VisitFilterExpression(FilterExpression filterExpression)
        {
            FilterNames.Add(filterExpression.Name);
            return base.VisitFilterExpression(filterExpression);
        }
    }
}
