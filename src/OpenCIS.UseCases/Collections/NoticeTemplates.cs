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

    /// <summary>The letters kept in the same store: a welcome on starting service, a final-bill letter, a high-bill investigation's result, a dispute decision.</summary>
    public const string Welcome = "welcome";
    public const string FinalBill = "final_bill";
    public const string HighBillResult = "high_bill_result";
    public const string DisputeDecision = "dispute_decision";

    /// <summary>The collection notice kinds, in the order the steps come.</summary>
    public static readonly IReadOnlyList<string> NoticeKinds = [Reminder, FinalNotice, OwnerNotice, DoorHanger];

    /// <summary>The letter kinds.</summary>
    public static readonly IReadOnlyList<string> LetterKinds = [Welcome, FinalBill, HighBillResult, DisputeDecision];

    /// <summary>Every template kind in the store: the notices, then the letters.</summary>
    public static readonly IReadOnlyList<string> Kinds = [.. NoticeKinds, .. LetterKinds];

    public static bool IsLetter(string kind) => LetterKinds.Contains(kind);

    private static readonly Dictionary<string, string> Common = new()
    {
        ["utility.name"] = "the utility's name",
        ["utility.address"] = "the utility's address",
        ["utility.phone"] = "the utility's phone number",
        ["notice.date"] = "the notice's or letter's date, such as December 3, 2026",
        ["recipient.name"] = "who the notice is addressed to",
        ["recipient.address_line1"] = "the recipient's street address",
        ["recipient.city_state_zip"] = "the recipient's city, state and ZIP",
        ["account.number"] = "the account number",
        ["account.holder_name"] = "the account holder (the tenant on an owner notice)",
        ["account.service_address"] = "the service address",
    };

    /// <summary>The variables a notice template may use, with what each holds (dates and amounts come formatted).</summary>
    public static readonly IReadOnlyDictionary<string, string> Variables = With(new()
    {
        ["past_due.amount"] = "the amount past due, such as $312.50",
        ["past_due.days"] = "how many days past due",
        ["disconnect.earliest_date"] = "the earliest disconnect date (final and owner notices; empty otherwise)",
        ["disconnect.amount_to_avoid"] = "what to pay to avoid disconnection",
    });

    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> LetterVariables = new Dictionary<string, IReadOnlyDictionary<string, string>>
    {
        [Welcome] = With(new()
        {
            ["service.start_date"] = "the day service starts",
            ["service.services"] = "the services started, such as water, sewer and trash",
            ["deposit.amount"] = "the deposit billed (empty when none was required)",
            ["deposit.due_date"] = "when the deposit is due (empty when none)",
            ["bill.delivery"] = "how bills will come: by mail or by e-mail",
        }),
        [FinalBill] = With(new()
        {
            ["service.stop_date"] = "the last day of service",
            ["bill.amount_due"] = "the final bill's amount due",
            ["bill.due_date"] = "the final bill's due date",
        }),
        [HighBillResult] = With(CaseVariables()),
        [DisputeDecision] = With(CaseVariables()),
    };

    private static Dictionary<string, string> CaseVariables() => new()
    {
        ["case.number"] = "the case number",
        ["case.subject"] = "what the case is about",
        ["case.resolution"] = "how it was resolved, in words",
        ["case.note"] = "the resolution note",
        ["case.amount"] = "the amount in question (empty when none)",
    };

    private static FrozenDictionary<string, string> With(Dictionary<string, string> own) =>
        Common.Concat(own).ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The variables a template of this kind may use.</summary>
    public static IReadOnlyDictionary<string, string> VariablesFor(string kind) => LetterVariables.TryGetValue(kind, out var letter) ? letter : Variables;

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
    public static IReadOnlyList<FileError> Check(string fileName, string text, string kind = Reminder)
    {
        var variables = VariablesFor(kind);
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
            if (uses.Locals.Contains(root) || root == "forloop" || variables.ContainsKey(path))
            {
                continue;
            }

            var known = variables.Keys.Where(v => v.StartsWith(root + ".", StringComparison.Ordinal)).ToList();
            var hint = known.Count > 0 ? $"; {root} has {string.Join(", ", known)}" : $"; the variables are {string.Join(", ", variables.Keys)}";
            problems.Add(new FileError(fileName, LineOf(text, path), path, $"'{path}' is not a variable of {(IsLetter(kind) ? "a " + kind.Replace('_', ' ') + " letter" : "a notice")}{hint}."));
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
