using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.UseCases;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Web.Api;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Pages.ServiceStart;

/// <summary>What the clerk keyed on the start-service form, kept so a refused form comes back as it was.</summary>
public sealed class StartServiceForm
{
    public long? CustomerId { get; set; }
    public string? Kind { get; set; }
    public string? DisplayName { get; set; }
    public string? BirthDate { get; set; }
    public string? IdentityNumber { get; set; }
    public string? IdentityDocument { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? NotDuplicateReason { get; set; }
    public string? StartDate { get; set; }
    public string? Class { get; set; }
    public string? CycleCode { get; set; }
    public Dictionary<string, string> Reads { get; set; } = [];
    public bool ReadOrder { get; set; }
    public string? DepositWaiverReason { get; set; }
    public string? BillDelivery { get; set; }
    public bool NoticesByEmail { get; set; }
    public string? ThirdPartyName { get; set; }
    public string? ThirdPartyAddress { get; set; }
    public string? ThirdPartyCity { get; set; }
    public string? ThirdPartyState { get; set; }
    public string? ThirdPartyZip { get; set; }
    public bool JoinAsCoApplicant { get; set; }
}

/// <summary>
/// Start service (move-in), in one keyboard-friendly page: find the premise by address or parcel, then the customer
/// (new, or an existing one by number; possible duplicates are listed with why and a button to take that customer),
/// the start date and class, each meter's move-in read or a read order, the deposit decision, delivery choices and a
/// third-party notice recipient. It posts to the same workflow as POST /api/service/start and shows what happened.
/// </summary>
[Authorize(Policy = CustomersCapability.StartStopService)]
public sealed class StartModel(PremiseQueries premises, CustomerMatches matches, BusinessCalendar calendar) : ActionPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? PremiseId { get; set; }

    [BindProperty]
    public StartServiceForm Form { get; set; } = new();

    public IReadOnlyList<PremiseView> Found { get; private set; } = [];
    public PremiseView? Premise { get; private set; }
    public IReadOnlyList<CustomerMatch> Matches { get; private set; } = [];
    public StartServiceOutcome? Started { get; private set; }

    /// <summary>The cycles to choose from when the premise was never served.</summary>
    public IReadOnlyList<string> CycleCodes { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Form.StartDate ??= calendar.Today().ToString("yyyy-MM-dd");
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync([FromServices] StartService workflow, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (Premise is null)
        {
            return NotFound();
        }

        try
        {
            var request = RequestOf(Premise);
            Started = await workflow.ExecuteAsync(request, User.Identity!.Name!, cancellationToken);
            Message = Started.Message;
            IsError = false;
        }
        catch (DomainException exception)
        {
            Message = exception.Message;
            IsError = true;
            ErrorField = exception.Field;
            if (exception.Field == "customer" && Form.CustomerId is null)
            {
                Matches = await matches.FindAsync(Applying(), cancellationToken);
            }
        }

        return Page();
    }

    private ApplyingCustomer Applying() => ServiceApi.Applying(new ApplyingCustomerBody(Form.Kind, Form.DisplayName ?? "", Form.BirthDate, null, Form.IdentityNumber, Form.Phone, Form.Email));

    private StartServiceRequest RequestOf(PremiseView premise)
    {
        var reads = new List<InitialRead>();
        foreach (var (serial, text) in Form.Reads.Where(r => !string.IsNullOrWhiteSpace(r.Value)))
        {
            reads.Add(long.TryParse(text.Replace(",", "", StringComparison.Ordinal).Trim(), out var reading)
                ? new InitialRead(serial, reading)
                : throw new DomainException($"'{text}' is not a meter reading for meter {serial}.", "initialReads"));
        }

        var third = string.IsNullOrWhiteSpace(Form.ThirdPartyName) ? null
            : new ThirdPartyRecipient(Form.ThirdPartyName, Form.ThirdPartyAddress ?? "", Form.ThirdPartyCity ?? "", Form.ThirdPartyState ?? "", Form.ThirdPartyZip ?? "");
        return ServiceApi.Start(new StartServiceBody(
            Form.CustomerId,
            Form.CustomerId is null ? new ApplyingCustomerBody(Form.Kind, Form.DisplayName ?? "", Form.BirthDate, null, Form.IdentityNumber, Form.Phone, Form.Email) : null,
            premise.PremiseId, Form.StartDate ?? "", Form.Class, null, Form.ReadOrder, Form.NotDuplicateReason, Form.IdentityDocument,
            CycleCode: Form.CycleCode, DepositWaiverReason: Form.DepositWaiverReason, BillDelivery: Form.BillDelivery, NoticesByEmail: Form.NoticesByEmail, JoinAsCoApplicant: Form.JoinAsCoApplicant)) with
        {
            InitialReads = reads,
            ThirdParty = third,
        };
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (PremiseId is { } id)
        {
            Premise = await premises.GetAsync(id, cancellationToken);
            CycleCodes = Premise?.CycleCode is null ? await premises.CycleCodesAsync(cancellationToken) : [];
        }
        else if (!string.IsNullOrWhiteSpace(Q))
        {
            Found = await premises.FindAsync(Q, cancellationToken);
        }
    }
}
