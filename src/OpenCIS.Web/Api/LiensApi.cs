using System.Text;
using OpenCIS.Core.Common;
using OpenCIS.Core.Liens;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Liens;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

public sealed record LienItemResponse(DateOnly PostedOn, DateOnly DueOn, string Description, string Amount, string Open, bool IsFee);

public sealed record LienResponse(string Number, string AccountNumber, string CustomerName, string ParcelId, string OwnerOfRecord, string OwnerAddress, string PremiseAddress, string Status,
    string Principal, DateOnly NoticedOn, DateOnly NoticeEndsOn, DateOnly? FiledOn, string? FiledPrincipal, string FilingFee, string Secured, string Outstanding, string Paid,
    DateOnly? SatisfiedOn, DateOnly? ReleasedOn, string? ReleasedBy, string? ReleaseReason, int? CertifiedTaxYear, string? Certified, IReadOnlyList<string> Documents,
    IReadOnlyList<LienItemResponse> Items, string WrittenOff);

public sealed record LienReleaseBody(string? Reason);

public sealed record LienStepResponse(string AccountNumber, string? LienNumber, string Action, string Reason);

public sealed record LienRunResponse(DateOnly BusinessDate, int Looked, int Noticed, int Filed, int PartlyPaid, int Satisfied, IReadOnlyList<LienStepResponse> Steps, string Message);

public sealed record LienCertificationBody(int? TaxYear);

public sealed record LienCertificationResponse(long Id, int TaxYear, DateOnly CertifiedOn, int Liens, string Total, string CreatedBy, string FileName, string File);

/// <summary>Liens over HTTP: the register, each lien's documents, releases, the daily lien run, and certifications to the county tax roll.</summary>
public static class LiensApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var liens = api.MapGroup("/liens").WithTags("Liens");
        liens.MapGet("/", async (string? status, string? accountNumber, string? parcel, LienRegister register, CancellationToken cancellationToken) =>
                TypedResults.Ok((await register.ListAsync(new LienFilter(ParseStatus(status), accountNumber, parcel), cancellationToken)).Select(ToResponse).ToList()))
            .RequireAuthorization(LienCapability.ViewLiens)
            .WithSummary("The lien register, newest first, by status (noticed, filed, partlypaid, satisfied, released), account number or parcel id.");

        liens.MapGet("/{number}", async (string number, LienRegister register, CancellationToken cancellationToken) => TypedResults.Ok(ToResponse(await register.FindAsync(number, cancellationToken))))
            .RequireAuthorization(LienCapability.ViewLiens)
            .WithSummary("One lien by its number (LN-000012): the charges it secures, what is unpaid of them, and its stages.");

        liens.MapGet("/{number}/documents/{kind}", async (string number, string kind, LienDocuments documents, CancellationToken cancellationToken) =>
            {
                var document = await documents.RenderAsync(number, ParseKind(kind), cancellationToken);
                return TypedResults.File(document.Pdf, "application/pdf", document.FileName);
            })
            .RequireAuthorization(LienCapability.ViewLiens)
            .WithSummary("A lien's document as a PDF: notice (to the owner of record, with the notice period), filing (once filed) or release (once released).");

        liens.MapPost("/{number}/release", async (string number, LienReleaseBody? body, LienRegister register, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await register.ReleaseAsync(number, body?.Reason, ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(LienCapability.WorkLiens)
            .WithSummary("Record the release of a filed lien that is paid in full (its release document prints from it). Releasing it again changes nothing.");

        liens.MapPost("/runs", async (DateOnly? businessDate, RunLiens run, BusinessCalendar calendar, HttpContext context, CancellationToken cancellationToken) =>
            {
                var outcome = await run.ExecuteAsync(businessDate ?? calendar.Today(), ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok(new LienRunResponse(outcome.BusinessDate, outcome.Looked, outcome.Noticed, outcome.Filed, outcome.PartlyPaid, outcome.Satisfied,
                    [.. outcome.Steps.Select(s => new LienStepResponse(s.AccountNumber, s.LienNumber, s.Action.ToString(), s.Reason))], outcome.Message));
            })
            .RequireAuthorization(LienCapability.WorkLiens)
            .WithSummary("Run the liens for a business date (default today), after that date's collections run: notices, filings with their fee, partly paid and satisfied marks. The daily collections job runs it too; a second run of a date does nothing again.");

        var certifications = api.MapGroup("/lien-certifications").WithTags("Liens");
        certifications.MapGet("/", async (LienRegister register, CancellationToken cancellationToken) =>
                TypedResults.Ok((await register.CertificationsAsync(cancellationToken)).Select(ToResponse).ToList()))
            .RequireAuthorization(LienCapability.ViewLiens)
            .WithSummary("The certifications of unpaid liens to the county tax roll, newest first.");

        certifications.MapPost("/", async (LienCertificationBody body, LienRegister register, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await register.CertifyAsync(body.TaxYear ?? throw new DomainException("Give the tax year.", "taxYear"), ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(LienCapability.CertifyLiens)
            .WithSummary("Certify every filed lien still unpaid and not yet certified to the county tax roll for the tax year, as a special-assessment file (docs/liens.md).");

        certifications.MapGet("/{id:long}/file", async (long id, LienRegister register, CancellationToken cancellationToken) =>
            {
                var (fileName, content) = await register.CertificationFileAsync(id, cancellationToken);
                return TypedResults.File(Encoding.UTF8.GetBytes(content), "text/csv", fileName);
            })
            .RequireAuthorization(LienCapability.ViewLiens)
            .WithSummary("A certification's special-assessment file (CSV) as it was sent to the county.");
    }

    internal static LienStatus? ParseStatus(string? status) =>
        string.IsNullOrWhiteSpace(status) ? null
            : Enum.TryParse<LienStatus>(status.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new DomainException($"'{status}' is not a lien status: noticed, filed, partlypaid, satisfied or released.", "status");

    internal static LienDocumentKind ParseKind(string kind) =>
        Enum.TryParse<LienDocumentKind>(kind.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new DomainException($"'{kind}' is not a lien document: notice, filing or release.", "kind");

    /// <summary>The documents a lien has printed so far: the notice always, the filing once filed, the release once released.</summary>
    internal static IReadOnlyList<string> Documents(LienView lien) =>
        [.. new[] { ("notice", true), ("filing", lien.FiledOn is not null), ("release", lien.ReleasedOn is not null) }.Where(d => d.Item2).Select(d => d.Item1)];

    private static LienResponse ToResponse(LienView l) =>
        new(l.Number, l.AccountNumber, l.CustomerName, l.ParcelId, l.OwnerOfRecord, l.OwnerAddress, l.PremiseAddress, l.StatusWords, l.Principal.ToPlainString(), l.NoticedOn, l.NoticeEndsOn,
            l.FiledOn, l.FiledPrincipal?.ToPlainString(), l.FilingFee.ToPlainString(), l.Secured.ToPlainString(), l.Outstanding.ToPlainString(), l.Paid.ToPlainString(), l.SatisfiedOn,
            l.ReleasedOn, l.ReleasedBy, l.ReleaseReason, l.CertifiedTaxYear, l.Certified?.ToPlainString(), Documents(l),
            [.. l.Items.Select(i => new LienItemResponse(i.PostedOn, i.DueOn, i.Description, i.Amount.ToPlainString(), i.Open.ToPlainString(), i.IsFee))], l.WrittenOff.ToPlainString());

    private static LienCertificationResponse ToResponse(LienCertificationView c) =>
        new(c.Id, c.TaxYear, c.CertifiedOn, c.Liens, c.Total.ToPlainString(), c.CreatedBy, c.FileName, $"/api/lien-certifications/{c.Id}/file");
}
