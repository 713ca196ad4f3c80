using System.Globalization;
using OpenCIS.Core.Common;
using OpenCIS.Core.Liens;
using OpenCIS.UseCases.Billing;
using PdfSharp.Drawing;

namespace OpenCIS.UseCases.Liens;

/// <summary>The three documents of a lien: the notice to the owner of record, the filing against the parcel, and the release once paid.</summary>
public enum LienDocumentKind
{
    Notice,
    Filing,
    Release,
}

/// <summary>A lien document as printed, and the text drawn on it, so tests read what the owner and the recorder read.</summary>
public sealed record LienDocument(string FileName, byte[] Pdf, IReadOnlyList<string> Lines);

/// <summary>
/// Prints a lien's documents from the register: the notice (the amount past due, each charge, the notice period and what filing
/// adds), the filing (parcel, owner of record, the amounts unpaid on the filing day and the fee), and the release (the lien paid in
/// full and discharged). Each is drawn from the lien as recorded, dated by its stage, so a reprint is the same document.
/// </summary>
public sealed class LienDocuments(LienRegister register, BillSettings settings)
{
    public async Task<LienDocument> RenderAsync(string number, LienDocumentKind kind, CancellationToken cancellationToken = default)
    {
        var lien = await register.FindAsync(number, cancellationToken);
        var dated = kind switch
        {
            LienDocumentKind.Notice => lien.NoticedOn,
            LienDocumentKind.Filing => lien.FiledOn ?? throw new DomainException($"Lien {lien.Number} has not been filed; it is {lien.StatusWords}.", "kind"),
            _ => lien.ReleasedOn ?? throw new DomainException($"Lien {lien.Number} has not been released; it is {lien.StatusWords}.", "kind"),
        };
        using var page = new PrintedPage($"{Title(kind)} {lien.Number}", settings.UtilityName, dated.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        var regular = new XFont(BillFonts.Sans, 9.5);
        var bold = new XFont(BillFonts.Sans, 9.5, XFontStyleEx.Bold);
        var heading = new XFont(BillFonts.Sans, 11, XFontStyleEx.Bold);
        var title = new XFont(BillFonts.Sans, 16, XFontStyleEx.Bold);
        const double Margin = PrintedPage.Margin;
        var width = PrintedPage.ContentWidth;
        void Text(string text, XFont font, double x, double w = 0, bool right = false) => page.Text(text, font, x, w, right);
        void Line(string text, XFont font, double step = 14) => page.Line(text, font, step);
        void Amount(string label, Money amount, XFont font) => page.Amount(label, amount.ToString(), font);

        Text(settings.UtilityName, heading, Margin);
        Text(lien.Number, bold, Margin, width, right: true);
        page.Y += 15;
        Line($"{settings.UtilityAddress} · {settings.UtilityPhone}", regular, 28);
        Line(Title(kind).ToUpperInvariant(), title, 26);
        Line($"Date: {Long(dated)}", regular, 22);
        Line(kind == LienDocumentKind.Notice ? "To the owner of record:" : "Owner of record:", bold);
        Line(lien.OwnerOfRecord, regular);
        Line(kind == LienDocumentKind.Notice ? lien.OwnerAddress : $"Parcel {lien.ParcelId}", regular, 22);
        Line($"Property: {lien.PremiseAddress}    Parcel id: {lien.ParcelId}    Utility account: {lien.AccountNumber}", regular, 24);

        switch (kind)
        {
            case LienDocumentKind.Notice:
                Line($"Utility charges for service at this property are unpaid and past due. As the owner of record you are notified that,", regular);
                Line($"unless {lien.Principal} is paid by {Long(lien.NoticeEndsOn)}, the city will file a lien against the parcel for the amount", regular);
                Line($"then unpaid, together with the recording fee, and may certify it to the county tax roll to be collected with property taxes.", regular, 24);
                Items(lien.Items.Where(i => !i.IsFee).Select(i => (i, i.Amount)));
                Amount("Past due on the date of this notice", lien.Principal, bold);
                page.Y += 10;
                Line($"Notice period: {(lien.NoticeEndsOn.DayNumber - lien.NoticedOn.DayNumber).ToString(CultureInfo.InvariantCulture)} days, ending {Long(lien.NoticeEndsOn)}.", bold);
                if (lien.FilingFee.IsPositive || lien.FiledOn is null)
                {
                    Line("If the lien is filed, the county's recording fee is added to it.", regular);
                }

                Line($"Pay at the counter, by mail to {settings.RemitTo}, or call {settings.UtilityPhone} to arrange payment.", regular);
                break;
            case LienDocumentKind.Filing:
                Line($"NOTICE IS GIVEN that {settings.UtilityName} claims a lien against the real property described above for unpaid utility", regular);
                Line("charges for service furnished to it, with the fee for recording this lien, as itemized below.", regular, 24);
                Items(lien.Items.Select(i => (i, i.Amount)));
                Amount("Charges unpaid on the filing date", lien.FiledPrincipal ?? Money.Zero, regular);
                Amount("Recording fee", lien.FilingFee, regular);
                page.Rule();
                Amount("Amount of the lien", lien.Secured, bold);
                page.Y += 10;
                Line($"Noticed to the owner of record on {Long(lien.NoticedOn)}; the notice period ended {Long(lien.NoticeEndsOn)}.", regular, 30);
                Line($"Filed by: ______________________________  for {settings.UtilityName}", regular);
                Line("Recorded: ____________________  Book/page or instrument number: ____________________", regular);
                break;
            case LienDocumentKind.Release:
                if (lien.WrittenOff.IsPositive)
                {
                    Line($"{settings.UtilityName}, the lien claimant, releases the lien described below: nothing it secured is owed any longer", regular);
                    Line("(what was not paid has been written off), and the lien is discharged. The county recorder is asked to record this release.", regular, 24);
                }
                else
                {
                    Line($"{settings.UtilityName}, the lien claimant, releases the lien described below: the amount it secured has been paid", regular);
                    Line("in full, and the lien is discharged. The county recorder is asked to record this release.", regular, 24);
                }

                Amount($"Lien filed {Long(lien.FiledOn!.Value)} for", lien.Secured, regular);
                Amount($"Paid by {Long(lien.SatisfiedOn ?? dated)}", lien.Paid, regular);
                if (lien.WrittenOff.IsPositive)
                {
                    Amount("Written off", lien.WrittenOff, regular);
                }

                Amount("Unpaid", lien.Outstanding, bold);
                page.Y += 10;
                Line($"Reason: {lien.ReleaseReason}", regular, 30);
                Line($"Released by: {lien.ReleasedBy}, for {settings.UtilityName}", regular);
                Line("Signature: ______________________________", regular);
                break;
        }

        void Items(IEnumerable<(LienItemView Item, Money Amount)> items)
        {
            Text("Billed", bold, Margin, 70);
            Text("Due", bold, Margin + 72, 70);
            Text("Charge", bold, Margin + 144, 220);
            Text("Amount", bold, Margin, width, right: true);
            page.Y += 14;
            foreach (var (item, amount) in items)
            {
                Text(item.PostedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), regular, Margin, 70);
                Text(item.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), regular, Margin + 72, 70);
                Text(item.Description, regular, Margin + 144, 220);
                Text(amount.ToString(), regular, Margin, width, right: true);
                page.Y += 13;
            }

            page.Rule();
        }

        return new LienDocument($"{lien.Number.ToLowerInvariant()}-{kind.ToString().ToLowerInvariant()}.pdf", page.Save(), page.Lines);
    }

    public static string Title(LienDocumentKind kind) => kind switch
    {
        LienDocumentKind.Notice => "Notice of intent to file a lien",
        LienDocumentKind.Filing => "Notice of lien for unpaid utility charges",
        _ => "Release of lien",
    };

    private static string Long(DateOnly date) => date.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);
}
