using OpenCIS.Core.Users;

namespace OpenCIS.Tests.Core.Customers;

public sealed class PasswordPolicyTests
{
    [Theory]
    [InlineData("aaaaaaaaaaaa")]
    [InlineData("abababababab")]
    [InlineData("123456789012")]
    [InlineData("abcdefghijkl")]
    [InlineData("qwertyuiop12")]
    [InlineData("Password2026!")]
    [InlineData("passwordpassword")]
    [InlineData("iloveyou1234")]
    [InlineData("Welcome123456")]
    [InlineData("short1!")]
    [InlineData("my name is clerk7 ok")]
    public void Common_repeated_sequential_short_or_named_passwords_are_refused(string password) =>
        Assert.NotNull(PasswordPolicy.Problem(password, "clerk7"));

    [Theory]
    [InlineData("riverbend-demo")]
    [InlineData("correct horse battery staple")]
    [InlineData("blue kettle under 9 stairs")]
    [InlineData("a-long-first-secret")]
    public void A_long_uncommon_phrase_is_accepted(string password) =>
        Assert.Null(PasswordPolicy.Problem(password, "clerk7"));
}
