using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Bankruptcy;
using OpenCIS.Core.Common;
using OpenCIS.Storage;
using OpenCIS.UseCases.Billing;
using PdfSharp.Drawing;

namespace OpenCIS.UseCases.Bankruptcy;

/// <summary>A proof of claim as printed, and the text drawn on it, so tests read what the court reads.</summary>
public sealed record ProofOfClaimDocument(string FileName, byte[] Pdf, IReadOnlyList<string> Lines);

/// <summary>
/// The city's proof of claim in a case, laid out in the parts of the official form (B 410): the creditor and where
/// notices and payments go, the claim as of the petition date with its basis (services the city provided, unsecured),
/// and the itemization the form asks for: each account, its service address, each service's amount and the oldest date
/// due. It is drawn from the claim as entered, so a reprint after trustee payments still claims what was owed on the
/// petition date; the payments received so far are listed under it.
/// </summary>
public sealed class ProofOfClaim(OpenCisDbContext db, BankruptcyCases cases, BillSettings settings)
{
    public async Task<ProofOfClaimDocument> RenderAsync(string caseNumber, string preparedBy, CancellationToken cancellationToken = default)
    {
        var view = await cases.FindAsync(caseNumber, cancellationToken);
        var claims = await db.BankruptcyClaims.AsNoTracking().Where(c => c.CaseId == view.Id).OrderBy(c => c.Id).ToListAsync(cancellationToken);
        var ids = view.Accounts.Select(a => a.AccountId).ToList();
        var addresses = await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id) && a.PremiseId != null)
            .Join(db.Premises, a => a.PremiseId, p => p.Id, (a, p) => new { a.Id, p.FullAddress }).ToDictionaryAsync(x => x.Id, x => x.FullAddress, cancellationToken);
        // The case's own date, not the clock: a reprint is the same document.
        using var page = new PrintedPage($"Proof of claim, case {view.CaseNumber}", settings.UtilityName, view.FiledAt.UtcDateTime);
        var regular = new XFont(BillFonts.Sans, 9);
        var bold = new XFont(BillFonts.Sans, 9, XFontStyleEx.Bold);
        var heading = new XFont(BillFonts.Sans, 11, XFontStyleEx.Bold);
        var title = new XFont(BillFonts.Sans, 16, XFontStyleEx.Bold);
        const double Margin = PrintedPage.Margin;
        var width = PrintedPage.ContentWidth;
        void Text(string text, XFont font, double x, double w = 0, bool right = false) => page.Text(text, font, x, w, right);
        void Line(string text, XFont font, double step = 13) => page.Line(text, font, step);

        Text("PROOF OF CLAIM", title, Margin);
        Text("Official Form 410", regular, Margin, width, right: true);
        page.Y += 24;
        Line($"United States Bankruptcy Court, {view.Court}", bold);
        Line($"Debtor: {view.DebtorName}", regular);
        Line($"Case number: {view.CaseNumber}    {Bankruptcies.Words(view.Chapter)}    Petition date: {view.PetitionDate.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture)}", regular, 22);

        Line("Part 1: Identify the claim", heading, 16);
        Line($"1. Current creditor: {settings.UtilityName}", regular);
        Line($"2. Acquired from someone else: No", regular);
        Line($"3. Notices and payments to the creditor sent to: {settings.RemitTo}", regular);
        Line($"   Contact: {settings.UtilityAddress}, {settings.UtilityPhone}", regular, 22);

        Line("Part 2: Give information about the claim as of the date the case was filed", heading, 16);
        Line($"6. Account numbers by which the creditor identifies the debtor: {string.Join(", ", view.Accounts.Select(a => a.AccountNumber))}", regular);
        Line($"7. Amount of the claim: {view.PrePetition}    Does it include interest or other charges? No", bold);
        Line("8. Basis for the claim: services provided (utility service and city charges), billed before the petition date", regular);
        Line("9. Is all or part of the claim secured? No        10. Based on a lease? No        11. Subject to a right of setoff? No", regular);
        Line("12. Is all or part of the claim entitled to priority under 11 U.S.C. § 507(a)? No", regular, 22);

        Line("Itemization of the claim", heading, 16);
        Text("Account", bold, Margin, 90);
        Text("Service address", bold, Margin + 92, 210);
        Text("Service", bold, Margin + 304, 80);
        Text("Oldest due", bold, Margin + 386, 60);
        Text("Amount", bold, Margin, width, right: true);
        page.Y += 14;
        foreach (var account in view.Accounts)
        {
            foreach (var claim in claims.Where(c => c.AccountId == account.AccountId))
            {
                Text(account.AccountNumber, regular, Margin, 90);
                Text(addresses.GetValueOrDefault(account.AccountId, "City receivables (no premise)"), regular, Margin + 92, 210);
                Text(claim.Service?.ToString() ?? "Other charges", regular, Margin + 304, 80);
                Text(claim.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), regular, Margin + 386, 60);
                Text(Money.FromCents(claim.AmountCents).ToString(), regular, Margin, width, right: true);
                page.Y += 13;
            }
        }

        page.Rule();
        Text("Total claimed as of the petition date", bold, Margin);
        Text(view.PrePetition.ToString(), bold, Margin, width, right: true);
        page.Y += 20;
        if (view.Payments.Count > 0)
        {
            Line("Payments received from the trustee since the petition", heading, 16);
            foreach (var payment in view.Payments)
            {
                Text($"{payment.ReceivedOn:yyyy-MM-dd}  {payment.Reference}", regular, Margin);
                Text(payment.Amount.ToString(), regular, Margin, width, right: true);
                page.Y += 13;
            }

            Text("Balance of the claim", bold, Margin);
            Text(view.Remaining.ToString(), bold, Margin, width, right: true);
            page.Y += 20;
        }

        Line("Part 3: Sign below", heading, 16);
        Line("I am the creditor's authorized agent. I have examined the information in this proof of claim and have a reasonable belief", regular);
        Line("that the information is true and correct. I declare under penalty of perjury that the foregoing is true and correct.", regular, 26);
        Line($"Signature: ______________________________    Name: {preparedBy}, for {settings.UtilityName}", regular);
        Line("Date: ____________________", regular);

        return new ProofOfClaimDocument($"proof-of-claim-{Safe(view.CaseNumber)}.pdf", page.Save(), page.Lines);
    }

    private static string Safe(string caseNumber) => new([.. caseNumber.Select(c => char.IsLetterOrDigit(c) || c == '-' ? c : '-')]);
}
