using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Common;
using OpenCIS.Core.Users;

namespace OpenCIS.Tests.Core.Users;

public sealed class ApiKeyTokenTests
{
    [Fact]
    public void Any_key_made_reads_back_as_itself_and_matches_only_its_own_hash()
    {
        var bytes = Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), 37).ToArbitrary();
        Prop.ForAll(bytes, b =>
        {
            var token = ApiKeyToken.From(b.AsSpan(0, 5), b.AsSpan(5));
            var read = ApiKeyToken.Parse(token.ToString());
            var other = ApiKeyToken.From(b.AsSpan(0, 5), b.AsSpan(5).ToArray().Select(x => (byte)(x ^ 1)).ToArray());
            return read == token && read.Matches(token.SecretHash()) && !other.Matches(token.SecretHash());
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("")]
    [InlineData("ocis_abc_def")]
    [InlineData("ocis_ABCDEF0123_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("xyz_abcdef0123_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("ocis_abcdef0123_AAAA")]
    [InlineData("ocis_abcdef0123_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void A_string_not_shaped_like_a_key_is_not_one(string text) => Assert.Null(ApiKeyToken.Parse(text));

    [Fact]
    public void A_key_holds_known_permissions_never_the_administrators()
    {
        IReadOnlyCollection<string> known = ["CheckDebts", "PlaceHolds", "ManageUsers"];
        Assert.Equal(["CheckDebts", "PlaceHolds"], ApiKeyToken.CheckPermissions([" PlaceHolds", "CheckDebts", "PlaceHolds"], known, ["ManageUsers"]));
        Assert.Contains("ManageUsers", Assert.Throws<DomainException>(() => ApiKeyToken.CheckPermissions(["CheckDebts", "ManageUsers"], known, ["ManageUsers"])).Message, StringComparison.Ordinal);
        Assert.Equal("permissions", Assert.Throws<DomainException>(() => ApiKeyToken.CheckPermissions(["Fly"], known, [])).Field);
        Assert.Equal("permissions", Assert.Throws<DomainException>(() => ApiKeyToken.CheckPermissions([], known, [])).Field);
        Assert.Equal("permits.system-2", ApiKeyToken.CheckName(" Permits.System-2 "));
        Assert.Equal("name", Assert.Throws<DomainException>(() => ApiKeyToken.CheckName("no spaces please")).Field);
    }
}
