using OpenCIS.Core.Billing;

namespace OpenCIS.Storage.Billing;

/// <summary>
/// A message printed on the bills of its audience (a cycle, class, route or program; none: every bill) dated from
/// <see cref="StartsOn"/> through <see cref="EndsOn"/>. A bill copies the text it printed (<see cref="Bill.Messages"/>), so
/// changing a message here never changes a bill already issued.
/// </summary>
public sealed class BillMessageRow
{
    public long Id { get; init; }
    public string Text { get; private set; } = "";
    public DateOnly StartsOn { get; private set; }
    public DateOnly EndsOn { get; private set; }
    public string? CycleCode { get; private set; }
    public Customers.AccountClass? AccountClass { get; private set; }
    public string? RouteCode { get; private set; }
    public string? ProgramCode { get; private set; }
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public string UpdatedBy { get; private set; } = "";
    public DateTimeOffset UpdatedAt { get; private set; }

    public BillMessage ToMessage() =>
        new(Id, Text, StartsOn, EndsOn, new BillMessageTarget(CycleCode, AccountClass?.ToString(), RouteCode, ProgramCode));

    /// <summary>Takes a validated message's text, dates and audience (the class already parsed by the caller).</summary>
    internal void Set(BillMessage message, Customers.AccountClass? accountClass, string user, DateTimeOffset at)
    {
        Text = message.Text;
        StartsOn = message.StartsOn;
        EndsOn = message.EndsOn;
        CycleCode = message.Target.CycleCode;
        AccountClass = accountClass;
        RouteCode = message.Target.RouteCode;
        ProgramCode = message.Target.ProgramCode;
        UpdatedBy = user;
        UpdatedAt = at;
    }
}
