using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Storage.Rating;
using OpenCIS.UseCases.Rating;
using OpenCIS.Storage;
using OpenCIS.Web.Api;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Billing;

/// <summary>
/// Rate schedules: every version, the YAML of one, a new version from edited YAML (Supervisor), and
/// a quote of one bill under the version shown or under the text being edited, line by line.
/// </summary>
[Authorize(Policy = BillingCapability.ViewBilling)]
public sealed class TariffsModel(ImportTariff tariffs, IAuthorizationService authorization, OpenCIS.UseCases.BusinessCalendar calendar) : PageModel
{
    public IReadOnlyList<TariffVersion> Versions { get; private set; } = [];
    public TariffVersion? Selected { get; private set; }
    public bool CanManage { get; private set; }

    [BindProperty]
    public string Yaml { get; set; } = "";

    [BindProperty]
    public string? Service { get; set; }

    [BindProperty]
    public QuoteForm Quote { get; set; } = new();

    public IReadOnlyList<FileError> Errors { get; private set; } = [];
    public string? Message { get; private set; }
    public QuoteResponse? Quoted { get; private set; }
    public RateComparisonReport? Comparison { get; private set; }

    [BindProperty]
    public string? CompareCycle { get; set; }

    public sealed class QuoteForm
    {
        public DateOnly? From { get; set; }
        public DateOnly? To { get; set; }
        public string? Usage { get; set; }
        public string? MeterSize { get; set; }
        public string? WinterAverage { get; set; }

        /// <summary>Pairs as NAME=VALUE separated by spaces or commas: ON=300kwh OFF=700kwh.</summary>
        public string? Registers { get; set; }

        public string? Riders { get; set; }
        public decimal Units { get; set; }
        public string? Demand { get; set; }
        public string? DemandHistory { get; set; }
        public decimal? PowerFactor { get; set; }
        public decimal? HeatingValue { get; set; }
        public decimal? ImperviousArea { get; set; }
        public string? Attributes { get; set; }
        public string? Programs { get; set; }

        public bool HasMore => Registers is { Length: > 0 } || Riders is { Length: > 0 } || Units != 0 || Demand is { Length: > 0 } || DemandHistory is { Length: > 0 }
            || PowerFactor is not null || HeatingValue is not null || ImperviousArea is not null || Attributes is { Length: > 0 } || Programs is { Length: > 0 };

        /// <summary>NAME=VALUE pairs, or an error naming the field for one without '='.</summary>
        public static Dictionary<string, string> Pairs(string? text, string field)
        {
            var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in Words(text))
            {
                var at = pair.IndexOf('=', StringComparison.Ordinal);
                if (at <= 0 || at == pair.Length - 1)
                {
                    throw new DomainException($"'{pair}' is not NAME=VALUE.", field);
                }

                pairs[pair[..at]] = pair[(at + 1)..];
            }

            return pairs;
        }

        public static string[] Words(string? text) => (text ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public async Task OnGetAsync(string? code, DateOnly? effective, CancellationToken cancellationToken)
    {
        await LoadAsync(code, effective, cancellationToken);
        if (Selected is not null && await tariffs.ExportAsync(Selected.Code, Selected.EffectiveFrom, cancellationToken) is { } found)
        {
            Yaml = found.Yaml;
            Service = found.Row.Service.ToString();
        }

        // Last month, as the usual thing to check.
        var today = calendar.Today();
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        Quote = new QuoteForm { From = thisMonth.AddMonths(-1), To = thisMonth.AddDays(-1) };
    }

    public async Task<IActionResult> OnPostImportAsync(CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, RatingCapability.ManageTariffs)).Succeeded)
        {
            return Forbid();
        }

        Service? service = Enum.TryParse<Service>(Service, true, out var parsed) ? parsed : null;
        var outcome = await tariffs.ExecuteAsync("edited tariff", Yaml, service, User.Identity!.Name!, cancellationToken);
        Errors = outcome.Errors;
        Message = outcome.Message;
        if (outcome.Imported)
        {
            var imported = TariffYaml.Read(Yaml, "edited tariff");
            return RedirectToPage(new { code = imported.Code, effective = imported.EffectiveFrom.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
        }

        await LoadAsync(null, null, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostQuoteAsync([FromServices] QuoteTariff quoteTariff, CancellationToken cancellationToken)
    {
        await LoadAsync(null, null, cancellationToken);
        try
        {
            Quoted = await TariffsApi.QuoteAsync(
                new QuoteBody(
                    Quote.From?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "",
                    Quote.To?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "",
                    Yaml: Yaml,
                    Usage: Quote.Usage,
                    MeterSize: Quote.MeterSize,
                    WinterAverage: Quote.WinterAverage,
                    Units: Quote.Units,
                    Registers: QuoteForm.Pairs(Quote.Registers, "registers"),
                    Riders: QuoteForm.Pairs(Quote.Riders, "riders").ToDictionary(p => p.Key, p => decimal.TryParse(p.Value, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var value)
                        ? value : throw new DomainException($"Rider {p.Key}: '{p.Value}' is not a number.", "riders"), StringComparer.Ordinal),
                    Demand: Quote.Demand,
                    DemandHistory: [.. QuoteForm.Words(Quote.DemandHistory).Select(h => decimal.TryParse(h, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var value)
                        ? value : throw new DomainException($"Prior billing demand: '{h}' is not a number.", "demandHistory"))],
                    PowerFactor: Quote.PowerFactor,
                    HeatingValue: Quote.HeatingValue,
                    ImperviousArea: Quote.ImperviousArea,
                    Attributes: QuoteForm.Pairs(Quote.Attributes, "attributes"),
                    Programs: QuoteForm.Words(Quote.Programs)),
                quoteTariff,
                cancellationToken);
        }
        catch (TariffFormatException exception)
        {
            Errors = exception.Errors;
            Message = "The tariff text has problems; fix them to quote.";
        }
        catch (DomainException exception)
        {
            Message = exception.Message;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostCompareAsync([FromServices] CompareRates compare, CancellationToken cancellationToken)
    {
        await LoadAsync(null, null, cancellationToken);
        try
        {
            Comparison = await compare.ExecuteAsync(TariffYaml.Read(Yaml, "proposed tariff"), string.IsNullOrWhiteSpace(CompareCycle) ? null : CompareCycle, cancellationToken);
        }
        catch (TariffFormatException exception)
        {
            Errors = exception.Errors;
            Message = "The proposed tariff has problems; fix them to compare.";
        }

        return Page();
    }

    private async Task LoadAsync(string? code, DateOnly? effective, CancellationToken cancellationToken)
    {
        Versions = await tariffs.VersionsAsync(cancellationToken);
        Selected = Versions.FirstOrDefault(v => v.Code == code && (effective is null || v.EffectiveFrom == effective));
        CanManage = (await authorization.AuthorizeAsync(User, RatingCapability.ManageTariffs)).Succeeded;
    }
}
