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
        var fields = new YamlFields(fileName);
        var root = fields.Root(text, "scenario");
        fields.Known(root, "account", "from", "to", "bills", "payments", "protections", "arrangements", "promises", "holidays", "temperatures");
        var (accountClass, debtType) = fields.Mapping(root, "account") is { } accountMap ? Account(fields, accountMap) : (null, null);
        var from = fields.Date(root, "from");
        var to = fields.Date(root, "to");
        if (from is { } first && to is { } last && (last < first || last.DayNumber - first.DayNumber + 1 > CollectionTimeline.DaysMax))
        {
            fields.Problem(YamlFields.Child(root, "to")!, "to", $"the range must run forward and cover at most {CollectionTimeline.DaysMax} days");
        }

        var bills = Bills(fields, root);
        var payments = Payments(fields, root);
        var protections = fields.Mapping(root, "protections", required: false) is { } protectionMap ? Protections(fields, protectionMap) : AccountProtections.None;
        var arrangements = Arrangements(fields, root);
        var promises = Promises(fields, root);
        var holidays = Holidays(fields, root);
        var temperatures = Temperatures(fields, root);
        fields.ThrowIfAny();
        var account = new CollectionAccount(accountClass!, debtType!, bills, payments, protections, arrangements, promises);
        return new CollectionScenario(account, from!.Value, to!.Value, holidays!, temperatures);
    }

    private static (string? Class, string? DebtType) Account(YamlFields fields, YamlMappingNode map)
    {
        fields.Known(map, "class", "debt_type");
        return (fields.Text(map, "class"), fields.Text(map, "debt_type", required: false) ?? "utility");
    }

    private static ImmutableArray<CollectionBill> Bills(YamlFields fields, YamlMappingNode root)
    {
        var bills = ImmutableArray.CreateBuilder<CollectionBill>();
        foreach (var map in fields.Mappings(root, "bills", "{ ref: B1, date: 2026-01-02, amount: 80.00, due: 2026-01-22 }"))
        {
            fields.Known(map, "ref", "date", "amount", "due");
            var date = fields.Date(map, "date");
            var amount = fields.Amount(map, "amount");
            var due = fields.Date(map, "due");
            if (date is { } billed && due is { } dueOn && dueOn < billed)
            {
                fields.Problem(YamlFields.Child(map, "due")!, "due", $"the due date {dueOn:yyyy-MM-dd} is before the bill date {billed:yyyy-MM-dd}");
            }

            if (date is not null && amount is not null && due is not null)
            {
                bills.Add(new CollectionBill(fields.Text(map, "ref", required: false) ?? $"#{bills.Count + 1}", date.Value, amount.Value, due.Value));
            }
        }

        if (bills.Count > CollectionAccount.BillsMax)
        {
            fields.Problem(root, "bills", $"a scenario has at most {CollectionAccount.BillsMax} bills");
        }

        return bills.ToImmutable();
    }

    private static ImmutableArray<CollectionPayment> Payments(YamlFields fields, YamlMappingNode root)
    {
        var payments = ImmutableArray.CreateBuilder<CollectionPayment>();
        foreach (var map in fields.Mappings(root, "payments", "{ date: 2026-01-20, amount: 30.00, ach_in_file: false }"))
        {
            fields.Known(map, "date", "amount", "ach_in_file");
            var date = fields.Date(map, "date");
            var amount = fields.Amount(map, "amount");
            var ach = fields.Flag(map, "ach_in_file");
            if (date is not null && amount is not null)
            {
                payments.Add(new CollectionPayment(date.Value, amount.Value, ach));
            }
        }

        if (payments.Count > CollectionAccount.PaymentsMax)
        {
            fields.Problem(root, "payments", $"a scenario has at most {CollectionAccount.PaymentsMax} payments");
        }

        return payments.ToImmutable();
    }

    private static AccountProtections Protections(YamlFields fields, YamlMappingNode map)
    {
        fields.Known(map, "medical_certificates", "life_support", "disputes", "pending_payments", "bankruptcy_stay", "tenant_occupied", "owner_notice_sent");
        var certificates = ImmutableArray.CreateBuilder<MedicalCertificate>();
        foreach (var item in fields.Mappings(map, "medical_certificates", "{ physician: Dr. Ada Lane, from: 2026-02-01, to: 2026-03-01 }"))
        {
            fields.Known(item, "physician", "from", "to");
            var physician = fields.Text(item, "physician");
            var (from, to) = Span(fields, item);
            if (physician is not null && from is not null && to is not null)
            {
                certificates.Add(new MedicalCertificate(physician, from.Value, to.Value));
            }
        }

        var disputes = ImmutableArray.CreateBuilder<Dispute>();
        foreach (var item in fields.Mappings(map, "disputes", "{ amount: 40.00, opened: 2026-02-01, resolved: 2026-02-20 }"))
        {
            fields.Known(item, "amount", "opened", "resolved");
            var amount = fields.Amount(item, "amount");
            var opened = fields.Date(item, "opened");
            var resolved = fields.Date(item, "resolved", required: false);
            if (amount is not null && opened is not null)
            {
                disputes.Add(new Dispute(amount.Value, opened.Value, resolved));
            }
        }

        var pending = ImmutableArray.CreateBuilder<PendingPayment>();
        foreach (var item in fields.Mappings(map, "pending_payments", "{ amount: 100.00, from: 2026-02-10, to: 2026-02-12, source: ACH debit in file }"))
        {
            fields.Known(item, "amount", "from", "to", "source");
            var amount = fields.Amount(item, "amount");
            var (from, to) = Span(fields, item);
            if (amount is not null && from is not null && to is not null)
            {
                pending.Add(new PendingPayment(amount.Value, from.Value, to.Value, fields.Text(item, "source", required: false) ?? "payment in suspense"));
            }
        }

        return new AccountProtections(
            certificates.ToImmutable(), fields.Flag(map, "life_support"), disputes.ToImmutable(), pending.ToImmutable(),
            fields.Flag(map, "bankruptcy_stay"), fields.Flag(map, "tenant_occupied"), fields.Date(map, "owner_notice_sent", required: false));
    }

    private static (DateOnly? From, DateOnly? To) Span(YamlFields fields, YamlMappingNode map)
    {
        var from = fields.Date(map, "from");
        var to = fields.Date(map, "to");
        if (from is { } start && to is { } end && end < start)
        {
            fields.Problem(YamlFields.Child(map, "to")!, "to", $"{end:yyyy-MM-dd} is before from ({start:yyyy-MM-dd})");
        }

        return (from, to);
    }

    private static ImmutableArray<PaymentArrangement> Arrangements(YamlFields fields, YamlMappingNode root)
    {
        var arrangements = ImmutableArray.CreateBuilder<PaymentArrangement>();
        foreach (var map in fields.Mappings(root, "arrangements", "{ created: 2026-02-05, amount: 300.00, down_payment: 75.00, installments: 3, first_due: 2026-03-05 }"))
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
                arrangements.Add(new PaymentArrangement(created.Value, amount.Value, down, PaymentArrangements.Schedule(amount.Value, down, count.Value, firstDue.Value)));
            }
        }

        return arrangements.ToImmutable();
    }

    private static ImmutableArray<PromiseToPay> Promises(YamlFields fields, YamlMappingNode root)
    {
        var promises = ImmutableArray.CreateBuilder<PromiseToPay>();
        foreach (var map in fields.Mappings(root, "promises", "{ made: 2026-02-01, date: 2026-02-10, amount: 50.00 }"))
        {
            fields.Known(map, "made", "date", "amount");
            var made = fields.Date(map, "made");
            var date = fields.Date(map, "date");
            var amount = fields.Amount(map, "amount");
            if (made is not null && date is not null && amount is not null)
            {
                promises.Add(new PromiseToPay(made.Value, date.Value, amount.Value));
            }
        }

        return promises.ToImmutable();
    }

    private static HolidayCalendar? Holidays(YamlFields fields, YamlMappingNode root)
    {
        if (fields.Mapping(root, "holidays", required: false) is not { } map)
        {
            return HolidayCalendar.UsFederal;
        }

        fields.Known(map, "calendar", "dates");
        var ruleSet = fields.Text(map, "calendar", required: false) ?? HolidayCalendar.UsFederalName;
        if (!HolidayCalendar.RuleSets.Contains(ruleSet, StringComparer.Ordinal))
        {
            fields.Problem(YamlFields.Child(map, "calendar")!, "calendar", $"'{ruleSet}' is not a holiday calendar; use one of {string.Join(", ", HolidayCalendar.RuleSets)}");
            return null;
        }

        var own = new List<(DateOnly Date, string Name)>();
        foreach (var item in fields.Mappings(map, "dates", "{ date: 2026-11-27, name: Day after Thanksgiving }"))
        {
            fields.Known(item, "date", "name");
            var date = fields.Date(item, "date");
            var name = fields.Text(item, "name");
            if (date is not null && name is not null)
            {
                own.Add((date.Value, name));
            }
        }

        return HolidayCalendar.Named(ruleSet, own);
    }

    private static ImmutableArray<DailyTemperature> Temperatures(YamlFields fields, YamlMappingNode root)
    {
        var temperatures = ImmutableArray.CreateBuilder<DailyTemperature>();
        foreach (var map in fields.Mappings(root, "temperatures", "{ date: 2026-01-15, low: 12, high: 30 }"))
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
                temperatures.Add(new DailyTemperature(date.Value, low.Value, high.Value));
            }
        }

        return temperatures.ToImmutable();
    }
}
