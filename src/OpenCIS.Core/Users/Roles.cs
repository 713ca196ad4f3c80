namespace OpenCIS.Core.Users;

/// <summary>The staff roles (PRODUCT.md). A user holds one or more; each capability grants its permissions to roles.</summary>
public static class Roles
{
    public const string Clerk = "Clerk";
    public const string Cashier = "Cashier";
    public const string Collector = "Collector";
    public const string Supervisor = "Supervisor";
    public const string Admin = "Admin";
    public const string Auditor = "Auditor";

    /// <summary>Field service: completes disconnect, reconnect and door-hanger orders from a phone.</summary>
    public const string Field = "Field";

    /// <summary>The dispatcher: puts the day's service orders in the crews' lanes on the dispatch board.</summary>
    public const string Dispatcher = "Dispatcher";

    public static readonly string[] All = [Clerk, Cashier, Collector, Supervisor, Admin, Auditor, Field, Dispatcher];
}
