using System.Collections.Immutable;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using YamlDotNet.RepresentationModel;

namespace OpenCIS.UseCases.Collections;

/// <summary>
/// Reads the scenario format of <c>collections simulate</c> (docs/collections.md): one account's class, bills,
/// payments, protections, arrangements and promises, the holidays, the daily temperatures and the days to
/// run. Every problem is reported with its line and field; a scenario with any problem gives nothing.
/// </summary>
public static class CollectionScenarioYaml
{
    public static CollectionScenario Read(string text, string fileName)
    {
        var fields = new YamlFields(fileName, errors => new CollectionFileException(errors));
        var root = fields.Root(text, "scenario");
        fields.Known(root, "account", "from", "to", "bills", "payments", "protections", "arrangements", "promises", "holidays", "temperatures");
        var (accountClass, debtType) = fields.Mapping(root, "account") is { } accountMap ? Account(fields, accountMap) : (null, null);
        var from = fields.Date(root, "from");
        var to = fields.Date(root, "to");
        if (from is { } first && to is { } last && (last < first || last.DayNumber - first.DayNumber + 1 > CollectionTimeline.DaysMax))
        {
            fields.Problem(YamlFields.Child(root, "to")!, "to", $"the range must run forward and cover at most {CollectionTimeline.DaysMax} days");
        }

        var bills = fields.Items<CollectionBill>(root, "bills", "{ ref: B1, date: 2026-01-02, amount: 80.00, due: 2026-01-22 }", (map, add) => Bill(fields, map, add));
        var payments = fields.Items<CollectionPayment>(root, "payments", "{ date: 2026-01-20, amount: 30.00, ach_in_file: false }", (map, add) =>
        {
            fields.Known(map, "date", "amount", "ach_in_file");
            var (date, amount, ach) = (fields.Date(map, "date"), fields.Amount(map, "amount"), fields.Flag(map, "ach_in_file"));
            if (date is not null && amount is not null)
            {
                add.Add(new CollectionPayment(date.Value, amount.Value, ach));
            }
        });
        if (bills.Length > CollectionAccount.BillsMax || payments.Length > CollectionAccount.PaymentsMax)
        {
            fields.Problem(root, "bills", $"a scenario has at most {CollectionAccount.BillsMax} bills and {CollectionAccount.PaymentsMax} payments");
        }

        var protections = fields.Mapping(root, "protections", required: false) is { } protectionMap ? Protections(fields, protectionMap) : AccountProtections.None;
        var arrangements = fields.Items<PaymentArrangement>(root, "arrangements", "{ created: 2026-02-05, amount: 300.00, down_payment: 75.00, installments: 3, first_due: 2026-03-05 }", (map, add) => Arrangement(fields, map, add));
        var promises = fields.Items<PromiseToPay>(root, "promises", "{ made: 2026-02-01, date: 2026-02-10, amount: 50.00 }", (map, add) =>
        {
            fields.Known(map, "made", "date", "amount");
            var (made, date, amount) = (fields.Date(map, "made"), fields.Date(map, "date"), fields.Amount(map, "amount"));
            if (made is not null && date is not null && amount is not null)
            {
                add.Add(new PromiseToPay(made.Value, date.Value, amount.Value));
            }
        });
        var holidays = Holidays(fields, root);
        var temperatures = fields.Items<DailyTemperature>(root, "temperatures", "{ date: 2026-01-15, low: 12, high: 30 }", (map, add) => Temperature(fields, map, add));
        fields.ThrowIfAny();
        var account = new CollectionAccount(accountClass!, debtType!, bills, payments, protections, arrangements, promises);
        return new CollectionScenario(account, from!.Value, to!.Value, holidays!, temperatures);
    }

    private static (string? Class, string? DebtType) Account(YamlFields fields, YamlMappingNode map)
    {
        fields.Known(map, "class", "debt_type");
        return (fields.Text(map, "class"), fields.Text(map, "debt_type", required: false) ?? "utility");
    }

    private static void Bill(YamlFields fields, YamlMappingNode map, ImmutableArray<CollectionBill>.Builder add)
    {
        fields.Known(map, "ref", "date", "amount", "due");
        var date = fields.Date(map, "date");
        var amount = fields.Amount(map, "amount");
        var due = fields.Date(map, "due");
        if (date is { } billed && due is { } dueOn && dueOn < billed)
        {
            fields.Problem(YamlFields.Child(map, "due")!, "due", $"the due date {dueOn:yyyy-MM-dd} is before the bill date {billed:yyyy-MM-dd}");
        }
        else if (date is not null && amount is not null && due is not null)
        {
            add.Add(new CollectionBill(fields.Text(map, "ref", required: false) ?? $"#{add.Count + 1}", date.Value, amount.Value, due.Value));
        }
    }

    private static AccountProtections Protections(YamlFields fields, YamlMappingNode map)
    {
        fields.Known(map, "medical_certificates", "life_support", "disputes", "pending_payments", "bankruptcy_stay", "tenant_occupied", "owner_notice_sent");
        var certificates = fields.Items<MedicalCertificate>(map, "medical_certificates", "{ physician: Dr. Ada Lane, from: 2026-02-01, to: 2026-03-01 }", (item, add) =>
        {
            fields.Known(item, "physician", "from", "to");
            var physician = fields.Text(item, "physician");
            if (Span(fields, item) is ({ } start, { } end) && physician is not null)
            {
                add.Add(new MedicalCertificate(physician, start, end));
            }
        });
        var disputes = fields.Items<Dispute>(map, "disputes", "{ amount: 40.00, opened: 2026-02-01, resolved: 2026-02-20 }", (item, add) =>
        {
            fields.Known(item, "amount", "opened", "resolved");
            var (amount, opened, resolved) = (fields.Amount(item, "amount"), fields.Date(item, "opened"), fields.Date(item, "resolved", required: false));
            if (amount is not null && opened is not null)
            {
                add.Add(new Dispute(amount.Value, opened.Value, resolved));
            }
        });
        var pending = fields.Items<PendingPayment>(map, "pending_payments", "{ amount: 100.00, from: 2026-02-10, to: 2026-02-12, source: ACH debit in file }", (item, add) =>
        {
            fields.Known(item, "amount", "from", "to", "source");
            var amount = fields.Amount(item, "amount");
            if (Span(fields, item) is ({ } start, { } end) && amount is not null)
            {
                add.Add(new PendingPayment(amount.Value, start, end, fields.Text(item, "source", required: false) ?? "payment in suspense"));
            }
        });

        return new AccountProtections(
            certificates, fields.Flag(map, "life_support"), disputes, pending,
            fields.Flag(map, "bankruptcy_stay"), fields.Flag(map, "tenant_occupied"), fields.Date(map, "owner_notice_sent", required: false));
    }

    private static (DateOnly? From, DateOnly? To) Span(YamlFields fields, YamlMappingNode map)
    {
        var from = fields.Date(map, "from");
        var to = fields.Date(map, "to");
        if (from is { } start && to is { } end && end < start)
        {
            fields.Problem(YamlFields.Child(map, "to")!, "to", $"{end:yyyy-MM-dd} is before from ({start:yyyy-MM-dd})");
            return (null, null);
        }

        return (from, to);
    }

    private static void Arrangement(YamlFields fields, YamlMappingNode map, ImmutableArray<PaymentArrangement>.Builder add)
    {
        fields.Known(map, "created", "amount", "down_payment", "installments", "first_due");
        var created = fields.Date(map, "created");
        var amount = fields.Amount(map, "amount");
        var down = fields.Amount(map, "down_payment", required: false) ?? Money.Zero;
        var count = fields.Whole(map, "installments", 1, ArrangementLimits.InstallmentsLimit);
        var firstDue = fields.Date(map, "first_due");
        if (amount is { } arranged && down > arranged)
        {
            fields.Problem(YamlFields.Child(map, "down_payment")!, "down_payment", $"the down payment {down} is more than the arranged amount {arranged}");
        }
        else if (created is not null && amount is not null && count is not null && firstDue is not null)
        {
            add.Add(new PaymentArrangement(created.Value, amount.Value, down, PaymentArrangements.Schedule(amount.Value, down, count.Value, firstDue.Value)));
        }
    }

    private static void Temperature(YamlFields fields, YamlMappingNode map, ImmutableArray<DailyTemperature>.Builder add)
    {
        fields.Known(map, "date", "low", "high");
        var date = fields.Date(map, "date");
        var low = fields.Whole(map, "low", -80, 140);
        var high = fields.Whole(map, "high", -80, 140);
        if (low is { } l && high is { } h && h < l)
        {
            fields.Problem(YamlFields.Child(map, "high")!, "high", $"the high {h}°F is under the low {l}°F");
        }
        else if (date is not null && low is not null && high is not null)
        {
            add.Add(new DailyTemperature(date.Value, low.Value, high.Value));
        }
    }

    private static HolidayCalendar? Holidays(YamlFields fields, YamlMappingNode root)
    {
        if (fields.Mapping(root, "holidays", required: false) is not { } map)
        {
            return HolidayCalendar.UsFederal;
        }

        fields.Known(map, "calendar", "dates");
        var ruleSet = fields.Text(map, "calendar", required: false) ?? HolidayCalendar.UsFederalName;
        var own = fields.Items<(DateOnly Date, string Name)>(map, "dates", "{ date: 2026-11-27, name: Day after Thanksgiving }", (item, add) =>
        {
            fields.Known(item, "date", "name");
            var (date, name) = (fields.Date(item, "date"), fields.Text(item, "name"));
            if (date is not null && name is not null)
            {
                add.Add((date.Value, name));
            }
        });
        if (HolidayCalendar.RuleSets.Contains(ruleSet, StringComparer.Ordinal))
        {
            return HolidayCalendar.Named(ruleSet, own);
        }

        fields.Problem(YamlFields.Child(map, "calendar")!, "calendar", $"'{ruleSet}' is not a holiday calendar; use one of {string.Join(", ", HolidayCalendar.RuleSets)}");
        return null;
    }
}
