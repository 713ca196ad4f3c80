using OpenCIS.Core.Cases;
using OpenCIS.Core.Common;

namespace OpenCIS.Tests.Core.Cases;

public sealed class CaseTypesTests
{
    [Theory]
    [InlineData("billing-dispute", CaseKind.BillingDispute)]
    [InlineData("BillingDispute", CaseKind.BillingDispute)]
    [InlineData("high_bill_investigation", CaseKind.HighBillInvestigation)]
    [InlineData("administrative-hearing-request", CaseKind.AdministrativeHearingRequest)]
    public void A_type_is_named_as_the_api_spells_it_or_as_the_code_does(string text, CaseKind kind) => Assert.Equal(kind, CaseTypes.Parse(text, "kind").Kind);

    [Fact]
    public void An_unknown_type_is_refused_naming_the_field_and_listing_the_types()
    {
        var refused = Assert.Throws<DomainException>(() => CaseTypes.Parse("refund", "kind"));
        Assert.Equal("kind", refused.Field);
        Assert.Contains("complaint, billing-dispute, high-bill-investigation, leak-adjustment-request, administrative-hearing-request", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_type_sets_its_due_date_and_only_a_billing_dispute_names_an_amount()
    {
        var opened = new DateOnly(2026, 12, 4);
        Assert.Equal(new DateOnly(2026, 12, 14), CaseTypes.DueOn(CaseKind.Complaint, opened));
        Assert.Equal(new DateOnly(2027, 1, 3), CaseTypes.DueOn(CaseKind.BillingDispute, opened));
        Assert.Equal([CaseKind.BillingDispute], CaseTypes.All.Where(t => t.TakesAmount).Select(t => t.Kind));
        Assert.All(CaseTypes.All, t => Assert.Contains("withdrawn", t.Resolutions));
    }

    [Fact]
    public void A_resolution_must_be_one_of_its_types_and_a_resolved_case_does_not_move()
    {
        Assert.Equal("leak-found", CaseTypes.Resolution(CaseKind.HighBillInvestigation, " Leak-Found "));
        Assert.Equal("resolution", Assert.Throws<DomainException>(() => CaseTypes.Resolution(CaseKind.Complaint, "leak-found")).Field);
        Assert.Equal("status", Assert.Throws<DomainException>(() => CaseTypes.CheckMove(4, CaseStatus.Resolved, CaseStatus.Assigned)).Field);
        Assert.Equal("status", Assert.Throws<DomainException>(() => CaseTypes.CheckMove(4, CaseStatus.Assigned, CaseStatus.Open)).Field);
        CaseTypes.CheckMove(4, CaseStatus.WaitingOnField, CaseStatus.Resolved);
    }
}
