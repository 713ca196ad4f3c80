using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Rating;
using OpenCIS.Web.Api;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Billing;

/// <summary>Where a dated value stands on the business date: the one bills are rated on now, one still to come, or one replaced.</summary>
public enum RateValueStanding
{
    InForce,
    ToCome,
    History,
}

/// <summary>
/// The dated values tariffs name (a rider's price per unit such as the PPA, the gas's heating value): every value by
/// name with who set it, one value set by hand, or a CSV of them checked whole. A value in force is history and is
/// never corrected; one still to come may be.
/// </summary>
[Authorize(Policy = BillingCapability.ViewBilling)]
public sealed class RateValuesModel(RateValueBook book, IAuthorizationService authorization, BusinessCalendar calendar) : ActionPageModel
{
    public IReadOnlyList<(RateValueListing Value, RateValueStanding Standing)> Values { get; private set; } = [];

    /// <summary>Every name with a value, for the filter.</summary>
    public IReadOnlyList<string> Names { get; private set; } = [];

    /// <summary>The one name shown, or null for all.</summary>
    public string? Shown { get; private set; }

    public bool CanManage { get; private set; }

    public DateOnly Today { get; private set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public DateOnly? EffectiveFrom { get; set; }

    [BindProperty]
    public decimal? Value { get; set; }

    public IReadOnlyList<FileError> FileErrors { get; private set; } = [];

    public async Task OnGetAsync(string? name, CancellationToken cancellationToken)
    {
        await LoadAsync(name, cancellationToken);

        // A rider's value usually changes with the month: the first of next month is the usual date to set.
        EffectiveFrom = new DateOnly(Today.Year, Today.Month, 1).AddMonths(1);
        Name = Shown;
    }

    public Task<IActionResult> OnPostAsync(CancellationToken cancellationToken) =>
        ActAsync(authorization, RatingCapability.ManageRateValues, async () =>
        {
            var from = EffectiveFrom ?? throw new DomainException("Give the date the value takes effect, YYYY-MM-DD.", "effectiveFrom");
            var value = Value ?? throw new DomainException("Give the value: a price per unit, or therms per CCF for heating_value.", "value");
            var set = await book.SetAsync(Name?.Trim() ?? "", from, value, User.Identity!.Name!, cancellationToken);
            return $"{set.Name} is {Show(set.Value)} from {set.EffectiveFrom:yyyy-MM-dd}.";
        }, async () =>
        {
            await LoadAsync(null, cancellationToken);
            return true;
        });

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, RatingCapability.ManageRateValues)).Succeeded)
        {
            return Forbid();
        }

        if (file is null || file.Length == 0)
        {
            (Message, IsError, ErrorField) = ("Choose a CSV file (name,effective_from,value).", true, "file");
        }
        else if (file.Length > RateValuesApi.FileBytesMax)
        {
            (Message, IsError, ErrorField) = ($"A rate value file is at most {RateValuesApi.FileBytesMax:N0} bytes.", true, "file");
        }
        else
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            var outcome = await book.ImportAsync(Path.GetFileName(file.FileName), buffer.ToArray(), User.Identity!.Name!, cancellationToken);
            (Message, IsError, ErrorField, FileErrors) = (outcome.Message, !outcome.Imported, outcome.Imported ? null : "file", outcome.Errors);
        }

        await LoadAsync(null, cancellationToken);
        return Page();
    }

    /// <summary>A value as the tariffs' traces show it: at least two decimals, at most six.</summary>
    public static string Show(decimal value) => value.ToString("0.00####", System.Globalization.CultureInfo.InvariantCulture);

    private async Task LoadAsync(string? name, CancellationToken cancellationToken)
    {
        Today = calendar.Today();
        CanManage = (await authorization.AuthorizeAsync(User, RatingCapability.ManageRateValues)).Succeeded;
        var all = await book.ListAsync(null, cancellationToken);
        Names = [.. all.Select(v => v.Name).Distinct(StringComparer.Ordinal)];
        Shown = name is { Length: > 0 } && Names.Contains(name, StringComparer.Ordinal) ? name : null;

        // The list is by name and newest first, so the first value of a name dated today or before is the one in force.
        var inForce = all.Where(v => v.EffectiveFrom <= Today).GroupBy(v => v.Name).ToDictionary(g => g.Key, g => g.First().EffectiveFrom, StringComparer.Ordinal);
        Values = [.. all.Where(v => Shown is null || v.Name == Shown).Select(v => (v,
            v.EffectiveFrom > Today ? RateValueStanding.ToCome
            : inForce[v.Name] == v.EffectiveFrom ? RateValueStanding.InForce
            : RateValueStanding.History))];
    }
}
