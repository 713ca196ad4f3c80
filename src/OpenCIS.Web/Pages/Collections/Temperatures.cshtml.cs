using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Payments;
using OpenCIS.Web.Api;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.Collections;

/// <summary>
/// The forecast low and high posted for each day, which the cold and heat protections read: today's (or any
/// day's) forecast by hand, a CSV of days checked whole, and the last 30 days.
/// </summary>
[Authorize(Policy = CollectionsCapability.ViewCollections)]
public sealed class TemperaturesModel(PostTemperatures temperatures, IAuthorizationService authorization, BusinessCalendar calendar) : ActionPageModel
{
    public const int DaysShown = 30;

    public IReadOnlyList<TemperatureListing> Days { get; private set; } = [];

    public bool CanPost { get; private set; }

    public DateOnly Today { get; private set; }

    [BindProperty]
    public DateOnly? Date { get; set; }

    [BindProperty]
    public int? LowF { get; set; }

    [BindProperty]
    public int? HighF { get; set; }

    public IReadOnlyList<FileError> FileErrors { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Date = Today;
    }

    public Task<IActionResult> OnPostAsync(CancellationToken cancellationToken) =>
        ActAsync(authorization, CollectionsCapability.PostTemperatures, async () =>
        {
            var date = Date ?? throw new Core.Common.DomainException("Give the day, YYYY-MM-DD.", "date");
            var low = LowF ?? throw new Core.Common.DomainException("Give the forecast low in °F.", "lowF");
            var high = HighF ?? throw new Core.Common.DomainException("Give the forecast high in °F.", "highF");
            var posted = await temperatures.ExecuteAsync(date, low, high, User.Identity!.Name!, cancellationToken);
            return $"Posted {posted.Date:yyyy-MM-dd}: low {posted.LowF}°F, high {posted.HighF}°F.";
        }, async () =>
        {
            await LoadAsync(cancellationToken);
            return true;
        });

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(User, CollectionsCapability.PostTemperatures)).Succeeded)
        {
            return Forbid();
        }

        if (file is null || file.Length == 0)
        {
            Message = "Choose a CSV file (date,low_f,high_f).";
            IsError = true;
            ErrorField = "file";
        }
        else if (file.Length > CollectionPoliciesApi.BodyBytesMax)
        {
            Message = $"A temperature file is at most {CollectionPoliciesApi.BodyBytesMax:N0} bytes.";
            IsError = true;
            ErrorField = "file";
        }
        else
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            var outcome = await temperatures.ImportAsync(Path.GetFileName(file.FileName), buffer.ToArray(), User.Identity!.Name!, cancellationToken);
            Message = outcome.Message;
            IsError = !outcome.Imported;
            ErrorField = outcome.Imported ? null : "file";
            FileErrors = outcome.Errors;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Today = calendar.Today();
        Days = await temperatures.ListAsync(Today.AddDays(1 - DaysShown), cancellationToken);
        CanPost = (await authorization.AuthorizeAsync(User, CollectionsCapability.PostTemperatures)).Succeeded;
    }
}
