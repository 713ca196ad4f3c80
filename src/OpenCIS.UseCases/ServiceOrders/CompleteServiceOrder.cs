using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Metering;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Metering;
using OpenCIS.Storage.ServiceOrders;
using OpenCIS.UseCases.Ledger;
using OpenCIS.UseCases.Metering;

namespace OpenCIS.UseCases.ServiceOrders;

/// <summary>
/// What the field reports on a customer-service or meter order: the result (done, no access, passed or failed, leak
/// found or not), the read taken (a re-read's, a removed or exchanged meter's final read), the meter set (its serial
/// and initial read) and a note.
/// </summary>
public sealed record OrderCompletion(ServiceOrderResult Result, long? Reading = null, string? NewMeterSerial = null, long? NewMeterReading = null, string? Note = null);

/// <summary>
/// Completes a connect, meter set, remove or exchange, re-read, meter test, tamper investigation, leak check,
/// high-bill investigation or inspection order, posting its results in one transaction (under the account's lock):
/// <list type="bullet">
/// <item>a read goes through read validation (<see cref="RecordFieldRead"/>) and is linked on the order;</item>
/// <item>meter work goes through the meter lifecycle (<see cref="MeterLifecycle"/>): a set with the new meter's serial
/// and initial read (a serial already set elsewhere is refused), a remove with the final read, an exchange with both,
/// so the meter's history and the next bill see it; a field test is a Tested event, and a failed one opens an
/// exchange order;</item>
/// <item>the order's fee (<see cref="ServiceOrderFees"/>) posts to the account, once, linked on the order;</item>
/// <item>service states change: a connect or a meter set puts the service point in service.</item>
/// </list>
/// An order completes once: a second completion is refused by the order, and nothing is posted twice.
/// </summary>
public sealed class CompleteServiceOrder(OpenCisDbContext db, RecordFieldRead recordRead, MeterLifecycle meters, ServiceOrderFees fees, ServiceOrderQueries queries, BusinessCalendar calendar, TimeProvider clock)
{
    public static bool Completes(ServiceOrderKind kind) => kind is not (ServiceOrderKind.DisconnectForNonPayment or ServiceOrderKind.Reconnect or ServiceOrderKind.DoorHanger);

    public async Task<ServiceOrderOutcome> ExecuteAsync(long orderId, OrderCompletion completion, string user, CancellationToken cancellationToken = default)
    {
        var found = await db.ServiceOrders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orderId, cancellationToken)
            ?? throw new DomainException($"There is no service order {orderId}.", "id");
        if (!Completes(found.Kind))
        {
            throw new DomainException($"Order {orderId} is a {ServiceOrder.Describe(found.Kind)} order; collections completes those.", "id");
        }

        var today = calendar.Today();
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (found.AccountId is { } lockId)
        {
            await AccountLocks.LockAccountAsync(db, lockId, cancellationToken);
        }

        // Read again under the lock: a second completion of the same order waits, then is refused by the order itself.
        var order = await db.ServiceOrders.Include(o => o.Changes).SingleAsync(o => o.Id == orderId, cancellationToken);
        Check(order, completion);
        order.Complete(new ServiceOrderCompletion(completion.Result, today, completion.Reading, null, completion.Note), user, now);
        var said = new List<string>();
        if (completion.Result != ServiceOrderResult.NoAccess)
        {
            said.AddRange(await PostResultsAsync(order, completion, user, today, now, cancellationToken));
        }
        else
        {
            said.Add("no access");
        }

        var fee = fees.For(order.Kind, completion.Result);
        if (fee.IsPositive && order.AccountId is { } accountId)
        {
            var ledger = await AccountLedger.LoadAsync(db, accountId, cancellationToken);
            var posted = ledger.Post(db, PostingRules.ForServiceFee(fee), today, today.AddDays(21), null, user, $"{OrderTypes.Of(order.Kind).Name} fee, order {order.Id}", now);
            await db.SaveChangesAsync(cancellationToken);
            order.AttachFee(posted.Id);
            said.Add($"{OrderTypes.Of(order.Kind).Name.ToLowerInvariant()} fee {fee} posted");
        }

        AuditLog.Record(db, now, user, "ServiceOrder", order.Id, order.AccountId, "Complete service order", new { Status = "Open" },
            new { order.Result, order.Reading, order.ReadId, order.NewMeterId, order.FeeTransactionId }, order.CompletionNote);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var view = (await queries.OrderAsync(orderId, cancellationToken))!;
        return new ServiceOrderOutcome(view, $"Order {orderId} ({ServiceOrder.Describe(order.Kind)}){(view.AccountNumber is { } number ? $" on account {number}" : "")} completed: {string.Join("; ", said)}.");
    }

    private static void Check(ServiceOrder order, OrderCompletion completion)
    {
        if (!order.IsOpen)
        {
            throw new DomainException($"Order {order.Id} is {order.Status.ToString().ToLowerInvariant()}; it cannot be completed again.", "id");
        }

        if (completion.Result == ServiceOrderResult.NoAccess)
        {
            return;
        }

        var needsReading = order.Kind is ServiceOrderKind.ReRead or ServiceOrderKind.MeterRemove or ServiceOrderKind.MeterExchange;
        if (needsReading && completion.Reading is null)
        {
            throw new DomainException(order.Kind == ServiceOrderKind.ReRead ? "Enter the meter read taken at the premise." : "Enter the final read of the meter taken out.", "reading");
        }

        if (order.Kind is ServiceOrderKind.MeterSet or ServiceOrderKind.MeterExchange)
        {
            if (string.IsNullOrWhiteSpace(completion.NewMeterSerial))
            {
                throw new DomainException("Enter the serial of the meter set.", "newMeterSerial");
            }

            if (completion.NewMeterReading is null)
            {
                throw new DomainException("Enter the initial read of the meter set.", "newMeterReading");
            }
        }
    }

    private async Task<List<string>> PostResultsAsync(ServiceOrder order, OrderCompletion completion, string user, DateOnly today, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var said = new List<string>();
        var meter = order.MeterId is { } meterId ? await db.Meters.AsNoTracking().SingleAsync(m => m.Id == meterId, cancellationToken) : null;
        switch (order.Kind)
        {
            case ServiceOrderKind.MeterSet:
                var placed = await meters.SetAsync(completion.NewMeterSerial!.Trim(), order.ServicePointId!.Value, today, completion.NewMeterReading!.Value, user, cancellationToken);
                order.AttachNewMeter(placed.Id);
                said.Add($"meter {placed.Serial} set with read {completion.NewMeterReading:N0}");
                await InServiceAsync(order, cancellationToken);
                break;
            case ServiceOrderKind.MeterRemove:
                await meters.RemoveAsync(Installed(meter, order).Serial, today, completion.Reading!.Value, user, cancellationToken);
                said.Add($"meter {meter!.Serial} removed with final read {completion.Reading:N0}");
                break;
            case ServiceOrderKind.MeterExchange:
                var replacement = await meters.ExchangeAsync(Installed(meter, order).Serial, completion.NewMeterSerial!.Trim(), today, completion.Reading!.Value, completion.NewMeterReading!.Value, user, cancellationToken);
                order.AttachNewMeter(replacement.Id);
                said.Add($"meter {meter!.Serial} out at {completion.Reading:N0}, meter {replacement.Serial} in at {completion.NewMeterReading:N0}");
                break;
            case ServiceOrderKind.MeterTest:
                var passed = completion.Result == ServiceOrderResult.Passed;
                await meters.RecordFieldTestAsync(Installed(meter, order).Serial, today, passed, completion.Note ?? (passed ? "within limits" : "outside limits"), user, cancellationToken);
                said.Add($"meter {meter!.Serial} {(passed ? "passed" : "failed")} its test");
                if (!passed)
                {
                    var exchange = ServiceOrder.Create(ServiceOrderKind.MeterExchange, order.AccountId, order.PremiseId, order.ServicePointId, order.MeterId, 2, today.AddDays(OrderTypes.Of(ServiceOrderKind.MeterExchange).DueDays),
                        $"Meter {meter.Serial} failed its test on order {order.Id}", user, now, OrderTypes.MeterShop);
                    db.ServiceOrders.Add(exchange);
                    await db.SaveChangesAsync(cancellationToken);
                    said.Add($"exchange order {exchange.Id} opened");
                }

                break;
            default:
                if (order.Kind == ServiceOrderKind.Connect)
                {
                    await InServiceAsync(order, cancellationToken);
                    said.Add("service connected");
                }
                else if (completion.Result is ServiceOrderResult.LeakFound or ServiceOrderResult.NoLeakFound)
                {
                    said.Add(completion.Result == ServiceOrderResult.LeakFound ? "leak found" : "no leak found");
                }

                break;
        }

        if (completion.Reading is { } reading && order.Kind is not (ServiceOrderKind.MeterRemove or ServiceOrderKind.MeterExchange))
        {
            var pointIds = order.ServicePointId is { } pointId ? [pointId]
                : await db.ServicePoints.Where(p => p.PremiseId == order.PremiseId).Select(p => p.Id).ToListAsync(cancellationToken);
            var read = await recordRead.AddAsync(pointIds, today, reading, "reading", user, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            order.AttachRead(read.Id);
            said.Add(read.Status == ReadStatus.Valid ? $"read {reading:N0} stored" : $"read {reading:N0} stored as {read.Status.ToString().ToLowerInvariant()} for review ({read.Reasons})");
        }

        return said.Count > 0 ? said : ["done"];
    }

    private static Meter Installed(Meter? meter, ServiceOrder order) =>
        meter ?? throw new DomainException($"Order {order.Id} names no meter.", "id");

    private async Task InServiceAsync(ServiceOrder order, CancellationToken cancellationToken)
    {
        var point = order.ServicePointId is { } id ? await db.ServicePoints.SingleAsync(p => p.Id == id, cancellationToken) : null;
        point?.ChangeState(order.AccountId is null ? ServicePointState.ActiveVacant : ServicePointState.ActiveOccupied);
    }
}
