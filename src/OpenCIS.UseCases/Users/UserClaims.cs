namespace OpenCIS.UseCases.Users;

/// <summary>The flags OpenCIS keeps on a user, as Identity user claims (so they ride in the sign-in cookie too).</summary>
public static class UserClaims
{
    /// <summary>Set by an administrator's add or reset: the next sign-in must choose a new password before anything else.</summary>
    public const string MustChangePassword = "opencis:must-change-password";

    /// <summary>Set by deactivation (its value is who and when): the user cannot sign in until reactivated.</summary>
    public const string Deactivated = "opencis:deactivated";
}
