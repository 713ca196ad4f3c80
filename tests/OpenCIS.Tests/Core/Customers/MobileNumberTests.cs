using OpenCIS.Core.Customers;

namespace OpenCIS.Tests.Core.Customers;

public sealed class MobileNumberTests
{
    [Theory]
    [InlineData("(541) 555-0123", "+15415550123")]
    [InlineData("541.555.0123", "+15415550123")]
    [InlineData("1-541-555-0123", "+15415550123")]
    [InlineData("+1 541 555 0123", "+15415550123")]
    [InlineData(" +44 7911 123456 ", "+447911123456")]
    [InlineData("+52 55 1234 5678", "+525512345678")]
    public void A_number_keyed_any_way_is_normalized_to_E164(string keyed, string e164) => Assert.Equal(e164, MobileNumbers.Normalize(keyed));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("555-0123")]
    [InlineData("041-555-0123")]
    [InlineData("541-155-0123")]
    [InlineData("2-541-555-0123")]
    [InlineData("+0 541 555 0123")]
    [InlineData("+1 041 555 0123")]
    [InlineData("541-555-0123 ext 4")]
    [InlineData("54+1-555-0123")]
    [InlineData("+1234567")]
    [InlineData("+1234567890123456")]
    public void What_no_text_can_go_to_is_refused(string? keyed) => Assert.Null(MobileNumbers.Normalize(keyed));

    [Fact]
    public void A_number_is_shown_back_by_its_last_four_digits() => Assert.Equal("•••• 0123", MobileNumbers.Masked("+15415550123"));
}
