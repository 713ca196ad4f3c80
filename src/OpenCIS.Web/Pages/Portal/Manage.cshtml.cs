using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Portal;

namespace OpenCIS.Web.Pages.Portal;

/// <summary>An account's settings: paperless billing, autopay from a bank account, and the holder's contact details.</summary>
public sealed class ManageModel(PortalManage manage) : PortalPageModel
{
    public PortalManageView View { get; private set; } = null!;

    [BindProperty]
    public PortalContactForm Contact { get; set; } = new();

    [BindProperty]
    public PortalAutopayForm Autopay { get; set; } = new();

    public Task<IActionResult> OnGetAsync(string number) => TryAsync(async () =>
    {
        await LoadAsync(number, fillContact: true);
        return Page();
    });

    public Task<IActionResult> OnPostPaperlessAsync(string number, bool paperless) => ActAsync(number, async () =>
    {
        await manage.SetPaperlessAsync(UserId, number, paperless, HttpContext.RequestAborted);
        return T(paperless ? "PaperlessOnDone" : "PaperlessOffDone");
    });

    public Task<IActionResult> OnPostAutopayAsync(string number) => ActAsync(number, async () =>
    {
        var enrolled = await manage.EnrollAutopayAsync(UserId, number,
            new PortalAutopayRequest(Autopay.RoutingNumber, Autopay.BankAccountNumber, Autopay.AccountType, Autopay.HolderName, Autopay.Authorized), HttpContext.RequestAborted);
        return T("AutopayDone", enrolled.MaskedAccountNumber);
    });

    public Task<IActionResult> OnPostCancelAutopayAsync(string number) => ActAsync(number, async () =>
    {
        await manage.CancelAutopayAsync(UserId, number, HttpContext.RequestAborted);
        return T("AutopayCancelled");
    });

    public Task<IActionResult> OnPostContactAsync(string number) => ActAsync(number, async () =>
    {
        await manage.ChangeContactAsync(UserId, number,
            new PortalContact("", Contact.Email, Contact.Phone, Contact.MailingLine1, Contact.MailingCity, Contact.MailingState, Contact.MailingZip), HttpContext.RequestAborted);
        return T("ContactDone");
    }, fillContact: false);

    private async Task<IActionResult> ActAsync(string number, Func<Task<string>> work, bool fillContact = true) => await TryAsync(async () =>
    {
        try
        {
            Notice = await work();
        }
        finally
        {
            await LoadAsync(number, fillContact && Error is null);
        }

        return Page();
    });

    private async Task LoadAsync(string number, bool fillContact)
    {
        View = await manage.ViewAsync(UserId, number, HttpContext.RequestAborted);
        if (fillContact)
        {
            var c = View.Contact;
            Contact = new PortalContactForm { Email = c.Email ?? "", Phone = c.Phone ?? "", MailingLine1 = c.MailingLine1, MailingCity = c.MailingCity, MailingState = c.MailingState, MailingZip = c.MailingZip };
        }
    }
}

public sealed class PortalContactForm
{
    public string Email { get; set; } = "";
    public string Phone { get; set; } = "";
    public string MailingLine1 { get; set; } = "";
    public string MailingCity { get; set; } = "";
    public string MailingState { get; set; } = "";
    public string MailingZip { get; set; } = "";
}

public sealed class PortalAutopayForm
{
    public string RoutingNumber { get; set; } = "";
    public string BankAccountNumber { get; set; } = "";
    public string AccountType { get; set; } = "Checking";
    public string HolderName { get; set; } = "";
    public bool Authorized { get; set; }
}
