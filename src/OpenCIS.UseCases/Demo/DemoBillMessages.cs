using OpenCIS.Core.Billing;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;

namespace OpenCIS.UseCases.Demo;

/// <summary>
/// The demo city's bill messages: one on every bill of its last three months, and one on cycle C2's bills of three months
/// before those, so its bills show both kinds of audience and a range that began and ended within the year.
/// </summary>
public static class DemoBillMessages
{
    public static IReadOnlyList<BillMessage> For(DateOnly through) =>
    [
        new(0, "Water main replacement on Oak and Pine Streets continues this season: expect brief low pressure on work days. Details at riverbend.example/works.",
            through.AddMonths(-3).AddDays(1), through, BillMessageTarget.Everyone),
        new(0, "South side: meters are being upgraded to radio reads. A technician may visit; there is no charge and no appointment needed.",
            through.AddMonths(-6).AddDays(1), through.AddMonths(-3), new BillMessageTarget(CycleCode: "C2")),
    ];

    /// <summary>Adds them to the unit of work, as the demo's seed user.</summary>
    public static void Add(OpenCisDbContext db, DateOnly through, string user, DateTimeOffset at)
    {
        foreach (var message in For(through))
        {
            var row = new BillMessageRow { CreatedBy = user, CreatedAt = at };
            row.Set(message, null, user, at);
            db.BillMessages.Add(row);
        }
    }
}
