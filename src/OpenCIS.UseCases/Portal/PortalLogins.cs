using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Portal;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Portal;

namespace OpenCIS.UseCases.Portal;

/// <summary>A customer signing up: the account and the secret from a recent bill that proves it theirs, and the login to make.</summary>
public sealed record PortalSignUpRequest(string AccountNumber, string BillSecret, string Name, string Email, string Password, string Language);

public enum PortalSignInStatus
{
    SignedIn,

    /// <summary>The password was right and the login has two-factor sign-in on: the code from the app comes next.</summary>
    NeedsCode,

    /// <summary>The e-mail address has not been verified yet: the link was sent again.</summary>
    NotVerified,

    LockedOut,
    Failed,
}

/// <summary>How a sign-in went, and the login when the password was right.</summary>
public sealed record PortalSignIn(PortalSignInStatus Status, PortalLogin? Login);

/// <summary>Two-factor sign-in for a login: whether it is on, and (while off) the authenticator key to set up, as text and as the otpauth URI.</summary>
public sealed record PortalTwoFactorSetup(bool Enabled, string Key, string OtpAuthUri);

/// <summary>What the host puts in the customer's portal cookie: who, in what language, and the stamp that a password change renews.</summary>
public sealed record PortalLogin(string UserId, string Email, string DisplayName, string Language, string SecurityStamp);

/// <summary>
/// Portal logins: sign-up with proof of an account (<see cref="AccountProof"/>), the e-mailed link that verifies the address,
/// sign-in with lockout, password reset by e-mail, more accounts under one login, and the customer's language. Passwords
/// follow the staff policy (<see cref="Core.Users.PasswordPolicy"/>). Nothing here says whether an account number or an
/// e-mail address is known to the city: a wrong proof and an unknown account read alike, and a sign-up with an address
/// that already has a login mails that address instead of saying so.
/// </summary>
public sealed class PortalLogins(OpenCisDbContext db, UserManager<PortalUser> users, IUserStore<PortalUser> store, PortalMail mail, TimeProvider clock)
{
    public const string AuthenticatorProvider = "PortalAuthenticator";

    /// <summary>The longest address a login may have: the customer is recorded as <c>portal:</c> and the address wherever staff are (100 characters).</summary>
    public const int EmailLengthMax = 90;
    public const string LinkProvider = "PortalDefault";
    private const string VerifyPurpose = "VerifyEmail";
    private const string ResetPurpose = "ResetPassword";

    /// <summary>
    /// Makes the login (unverified), links the account, and queues the verification link to <paramref name="verifyLink"/>
    /// (given the user id and token, it returns the URL). Returns the new login's id, or null when the address already had
    /// a login (which is mailed a note instead).
    /// </summary>
    public async Task<string?> SignUpAsync(PortalSignUpRequest request, Func<string, string, string> verifyLink, CancellationToken cancellationToken = default)
    {
        var language = PortalText.Language(request.Language);
        var name = (request.Name ?? "").Trim();
        if (name.Length == 0 || name.Length > PortalUser.NameLengthMax)
        {
            throw new PortalException("ErrorName", "name");
        }

        var email = (request.Email ?? "").Trim();
        if (!MimeKit.MailboxAddress.TryParse(email, out var address) || !address.Address.Contains('@', StringComparison.Ordinal) || email.Length > EmailLengthMax)
        {
            throw new PortalException("ErrorEmail", "email");
        }

        var (accountId, proof) = await ProveAsync(request.AccountNumber, request.BillSecret, cancellationToken);
        if (await users.FindByNameAsync(email) is { } existing)
        {
            await mail.QueueAsync("Exists", $"portal-exists:{existing.Id}:{clock.GetUtcNow():yyyyMMddHH}", null, existing.Email!, existing.DisplayName, existing.Language, [existing.DisplayName], cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await mail.SendSoonAsync(cancellationToken);
            return null;
        }

        var now = clock.GetUtcNow();
        var user = new PortalUser { UserName = email, Email = email, DisplayName = name, Language = language, CreatedAt = now, LockoutEnabled = true };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await users.CreateAsync(user, request.Password ?? "");
        if (!created.Succeeded)
        {
            throw PasswordRefused(created);
        }

        Link(user, accountId, proof, now);
        await QueueVerificationAsync(user, verifyLink, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await mail.SendSoonAsync(cancellationToken);
        return user.Id;
    }

    /// <summary>Adds another account to a signed-in login, with the same proof as at sign-up.</summary>
    public async Task<string> AddAccountAsync(string userId, string accountNumber, string billSecret, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new PortalNotFoundException("The login");
        var (accountId, proof) = await ProveAsync(accountNumber, billSecret, cancellationToken);
        if (await db.PortalUserAccounts.AnyAsync(l => l.PortalUserId == userId && l.AccountId == accountId, cancellationToken))
        {
            throw new PortalException("ErrorAlreadyLinked", "accountNumber");
        }

        Link(user, accountId, proof, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return accountNumber.Trim();
    }

    /// <summary>Verifies the address by the link's token; true when it is (or already was) verified.</summary>
    public async Task<bool> VerifyEmailAsync(string userId, string token, CancellationToken cancellationToken = default)
    {
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return false;
        }

        if (user.EmailConfirmed)
        {
            return true;
        }

        if (!await users.VerifyUserTokenAsync(user, LinkProvider, VerifyPurpose, token ?? ""))
        {
            return false;
        }

        user.EmailConfirmed = true;
        await users.UpdateAsync(user);
        await AuditAsync(user, "Verify portal e-mail", new { user.Email }, cancellationToken);
        return true;
    }

    /// <summary>Checks the password, counting failures toward the lockout; an unverified login is sent its link again.</summary>
    public async Task<PortalSignIn> SignInAsync(string email, string password, Func<string, string, string> verifyLink, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByNameAsync((email ?? "").Trim());
        if (user is null)
        {
            // The same work as a wrong password, so the answer's timing does not tell which addresses have logins.
            users.PasswordHasher.VerifyHashedPassword(new PortalUser(), DummyHash, password ?? "");
            return new PortalSignIn(PortalSignInStatus.Failed, null);
        }

        if (await users.IsLockedOutAsync(user))
        {
            return new PortalSignIn(PortalSignInStatus.LockedOut, null);
        }

        if (!await users.CheckPasswordAsync(user, password ?? ""))
        {
            await users.AccessFailedAsync(user);
            return new PortalSignIn(await users.IsLockedOutAsync(user) ? PortalSignInStatus.LockedOut : PortalSignInStatus.Failed, null);
        }

        await users.ResetAccessFailedCountAsync(user);
        if (!user.EmailConfirmed)
        {
            await QueueVerificationAsync(user, verifyLink, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await mail.SendSoonAsync(cancellationToken);
            return new PortalSignIn(PortalSignInStatus.NotVerified, null);
        }

        return new PortalSignIn(user.TwoFactorEnabled ? PortalSignInStatus.NeedsCode : PortalSignInStatus.SignedIn, LoginOf(user));
    }

    /// <summary>The second step of a sign-in with two-factor on: the code from the authenticator app, failures counted toward the lockout.</summary>
    public async Task<PortalSignIn> SignInWithCodeAsync(string userId, string code, CancellationToken cancellationToken = default)
    {
        if (await users.FindByIdAsync(userId) is not { } user || !user.TwoFactorEnabled)
        {
            return new PortalSignIn(PortalSignInStatus.Failed, null);
        }

        if (await users.IsLockedOutAsync(user))
        {
            return new PortalSignIn(PortalSignInStatus.LockedOut, null);
        }

        var digits = new string((code ?? "").Where(char.IsAsciiDigit).ToArray());
        if (!await users.VerifyTwoFactorTokenAsync(user, AuthenticatorProvider, digits))
        {
            await users.AccessFailedAsync(user);
            return new PortalSignIn(await users.IsLockedOutAsync(user) ? PortalSignInStatus.LockedOut : PortalSignInStatus.Failed, null);
        }

        await users.ResetAccessFailedCountAsync(user);
        return new PortalSignIn(PortalSignInStatus.SignedIn, LoginOf(user));
    }

    /// <summary>The login as the cookie carries it, when it still exists and its stamp is the one given (else the cookie is dead).</summary>
    public async Task<PortalLogin?> CurrentAsync(string userId, string securityStamp, CancellationToken cancellationToken = default) =>
        await db.PortalUsers.AsNoTracking().Where(u => u.Id == userId && u.SecurityStamp == securityStamp)
            .Select(u => new PortalLogin(u.Id, u.Email!, u.DisplayName, u.Language, u.SecurityStamp!)).SingleOrDefaultAsync(cancellationToken);

    /// <summary>The login as it is now (after a change that renewed its stamp), for the host to sign the customer in again.</summary>
    public async Task<PortalLogin> LoginAsync(string userId, CancellationToken cancellationToken = default) =>
        LoginOf(await users.FindByIdAsync(userId) ?? throw new PortalNotFoundException("The login"));

    /// <summary>Mails a password-reset link when the address has a login; says nothing either way.</summary>
    public async Task RequestPasswordResetAsync(string email, Func<string, string, string> resetLink, CancellationToken cancellationToken = default)
    {
        if (await users.FindByNameAsync((email ?? "").Trim()) is not { } user)
        {
            return;
        }

        var token = await users.GenerateUserTokenAsync(user, LinkProvider, ResetPurpose);
        await mail.QueueAsync("Reset", $"portal-reset:{user.Id}:{clock.GetUtcNow():yyyyMMddHHmmss}", null, user.Email!, user.DisplayName, user.Language, [user.DisplayName, resetLink(user.Id, token)], cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await mail.SendSoonAsync(cancellationToken);
    }

    /// <summary>Sets a new password by the mailed link's token; the login's other sessions end (its stamp is renewed) and a lockout is lifted.</summary>
    public async Task ResetPasswordAsync(string userId, string token, string newPassword, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null || !await users.VerifyUserTokenAsync(user, LinkProvider, ResetPurpose, token ?? ""))
        {
            throw new PortalException("ErrorResetLink", "token");
        }

        foreach (var validator in users.PasswordValidators)
        {
            if (await validator.ValidateAsync(users, user, newPassword) is { Succeeded: false } refused)
            {
                throw PasswordRefused(refused);
            }
        }

        user.PasswordHash = users.PasswordHasher.HashPassword(user, newPassword);
        // Reached through the mailed link, the address is the customer's.
        user.EmailConfirmed = true;
        await users.UpdateSecurityStampAsync(user);
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await AuditAsync(user, "Reset portal password", null, cancellationToken);
    }

    /// <summary>Whether two-factor sign-in is on; while it is off, the key an authenticator app is set up with (made on first ask).</summary>
    public async Task<PortalTwoFactorSetup> TwoFactorSetupAsync(string userId, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new PortalNotFoundException("The login");
        if (user.TwoFactorEnabled)
        {
            return new PortalTwoFactorSetup(true, "", "");
        }

        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            // Made through the store, not UserManager.ResetAuthenticatorKeyAsync, which also renews the login's stamp and so
            // would end the very session that opened the settings. Nothing is on yet for the new key to replace.
            key = users.GenerateNewAuthenticatorKey();
            await ((IUserAuthenticatorKeyStore<PortalUser>)store).SetAuthenticatorKeyAsync(user, key, cancellationToken);
            await users.UpdateAsync(user);
        }

        var issuer = Uri.EscapeDataString("OpenCIS portal");
        return new PortalTwoFactorSetup(false, string.Join(' ', key!.Chunk(4).Select(c => new string(c))).ToLowerInvariant(),
            $"otpauth://totp/{issuer}:{Uri.EscapeDataString(user.Email!)}?secret={key}&issuer={issuer}&digits=6");
    }

    /// <summary>Turns two-factor sign-in on once the app's first code proves it is set up.</summary>
    public async Task EnableTwoFactorAsync(string userId, string code, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new PortalNotFoundException("The login");
        var digits = new string((code ?? "").Where(char.IsAsciiDigit).ToArray());
        if (!await users.VerifyTwoFactorTokenAsync(user, AuthenticatorProvider, digits))
        {
            throw new PortalException("CodeWrong", "code");
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        await AuditAsync(user, "Turn on portal two-factor sign-in", null, cancellationToken);
    }

    /// <summary>Turns two-factor sign-in off and forgets the key (a new one is made to turn it on again).</summary>
    public async Task DisableTwoFactorAsync(string userId, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new PortalNotFoundException("The login");
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await AuditAsync(user, "Turn off portal two-factor sign-in", null, cancellationToken);
    }

    /// <summary>Whether the login wants due-date reminders by e-mail.</summary>
    public async Task<bool> RemindersAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.PortalUsers.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Reminders).SingleAsync(cancellationToken);

    /// <summary>Turns due-date reminders on or off for the login.</summary>
    public async Task SetRemindersAsync(string userId, bool on, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new PortalNotFoundException("The login");
        user.Reminders = on;
        await users.UpdateAsync(user);
        await AuditAsync(user, on ? "Portal reminders on" : "Portal reminders off", null, cancellationToken);
    }

    /// <summary>The customer's language for the portal, its e-mail, and the bills and notices of the login's accounts.</summary>
    public async Task SetLanguageAsync(string userId, string language, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new PortalNotFoundException("The login");
        user.Language = PortalText.Language(language);
        await users.UpdateAsync(user);
        await AuditAsync(user, "Choose portal language", new { user.Language }, cancellationToken);
    }

    private async Task<(long AccountId, string Proof)> ProveAsync(string accountNumber, string billSecret, CancellationToken cancellationToken)
    {
        var number = (accountNumber ?? "").Trim();
        if (number.Length == 0)
        {
            throw new PortalException("ErrorAccountNumber", "accountNumber");
        }

        var accountId = await db.Accounts.AsNoTracking().Where(a => a.AccountNumber == number).Select(a => (long?)a.Id).SingleOrDefaultAsync(cancellationToken);
        var bills = accountId is { } id
            ? (await db.Bills.AsNoTracking().Where(b => b.AccountId == id && b.Status == BillStatus.Issued)
                    .OrderByDescending(b => b.BillDate).ThenByDescending(b => b.Id).Take(AccountProof.BillsAccepted)
                    .Select(b => new { b.Id, b.BillDate, b.AmountDueCents }).ToListAsync(cancellationToken))
                .Select(b => new RecentBill(b.Id, b.BillDate, Money.FromCents(b.AmountDueCents))).ToList()
            : [];
        return accountId is { } found && AccountProof.Match(billSecret, bills) is { } proof
            ? (found, proof)
            : throw new PortalException("ErrorProof", "billSecret");
    }

    private void Link(PortalUser user, long accountId, string proof, DateTimeOffset now)
    {
        db.PortalUserAccounts.Add(new PortalUserAccount { PortalUserId = user.Id, AccountId = accountId, Proof = proof, LinkedAt = now });
        AuditLog.Record(db, now, Actor(user), "PortalLogin", accountId, accountId, "Link portal login", null, new { user.Email, Proof = proof }, "customer self-service");
    }

    private async Task QueueVerificationAsync(PortalUser user, Func<string, string, string> verifyLink, CancellationToken cancellationToken)
    {
        var token = await users.GenerateUserTokenAsync(user, LinkProvider, VerifyPurpose);
        await mail.QueueAsync("Verify", $"portal-verify:{user.Id}:{clock.GetUtcNow():yyyyMMddHHmmss}", null, user.Email!, user.DisplayName, user.Language, [user.DisplayName, verifyLink(user.Id, token)], cancellationToken);
    }

    /// <summary>Records a login's change on each of its accounts' audit trails, where staff see it.</summary>
    internal async Task AuditAsync(PortalUser user, string action, object? after, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var accountId in await PortalAccess.AccountIdsAsync(db, user.Id, cancellationToken))
        {
            AuditLog.Record(db, now, Actor(user), "PortalLogin", accountId, accountId, action, null, after, "customer self-service");
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>How a customer appears in the audit trail: "portal:ana@example.org".</summary>
    public static string Actor(PortalUser user) => Actor(user.Email!);

    public static string Actor(string email) => $"portal:{email}";

    private static PortalLogin LoginOf(PortalUser user) => new(user.Id, user.Email!, user.DisplayName, user.Language, user.SecurityStamp!);

    private static PortalException PasswordRefused(IdentityResult result) =>
        result.Errors.Any(e => e.Code is "DuplicateUserName" or "DuplicateEmail")
            ? new PortalException("ErrorEmail", "email")
            : new PortalException("ErrorPassword", "password", Core.Users.PasswordPolicy.LengthMin);

    /// <summary>A hash of nothing anyone types, checked when the address has no login so that answer takes as long as a wrong password.</summary>
    private static readonly string DummyHash = new PasswordHasher<PortalUser>().HashPassword(new PortalUser(), Guid.NewGuid().ToString("N"));
}
