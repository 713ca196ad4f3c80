using OpenCIS.UseCases.Encryption;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Ledger;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Metering;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Metering;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Customers;
using OpenCIS.Tests.Collections;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// Start, transfer and landlord revert on each provider, through the real workflows and a billing run: a move-in
/// billed on its first cycle from its move-in read, a transfer whose final balance moves to the new account, a
/// landlord's revert leaving no day between the tenant's stop and the owner's start, and the refusals that change nothing.
/// </summary>
public sealed class ServiceStartTests
{
    private static async Task<PaymentCity> CityAsync(TestProvider provider, string what)
    {
        var city = await PaymentCity.StartAsync(provider, what, accounts: 3);
        foreach (var kind in NoticeTemplates.LetterKinds)
        {
            var imported = await city.RunAsync<ImportNoticeTemplate, NoticeTemplateImportOutcome>(i => i.ExecuteAsync(kind, $"{kind}.liquid", NoticeTemplateTests.Default(kind), "supervisor"));
            Assert.True(imported.Imported, imported.Message);
        }

        return city;
    }

    private static StartServiceRequest NewCustomer(long premiseId, DateOnly start) =>
        new(null, new ApplyingCustomer(CustomerKind.Person, "Dana Newcomer", new DateOnly(1990, 4, 12), IdentityNumberKind.Ssn, "123-45-6789", "541-555-0199", "dana@example.org"),
            premiseId, start, AccountClass.Residential, IdentityDocument: "Oregon driver license ending 4471");

    private static async Task<(long PremiseId, string Serial)> PremiseOfAsync(PaymentCity city, int account)
    {
        await using var db = city.Fresh();
        var acc = await db.Accounts.SingleAsync(a => a.Id == city.Accounts[account].AccountId);
        var serial = await db.Meters.Where(m => m.Id == city.Accounts[account].MeterId).Select(m => m.Serial).SingleAsync();
        return (acc.PremiseId!.Value, serial);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_move_in_is_billed_on_its_first_cycle_from_its_move_in_read(TestProvider provider)
    {
        TestDatabases.Require(provider, "start service");
        await using var city = await CityAsync(provider, "start service");
        var (premiseId, serial) = await PremiseOfAsync(city, 0);
        city.Clock.MoveTo(new DateOnly(2026, 11, 12));
        await city.RunAsync<StopService, FinalBillResult>(s => s.ExecuteAsync(new StopServiceRequest(city.Accounts[0].AccountNumber, new DateOnly(2026, 11, 10), [new FinalReading(serial, 10_400)], "Move-out"), "clerk"));

        var start = new DateOnly(2026, 11, 15);
        city.Clock.MoveTo(start);
        var request = NewCustomer(premiseId, start) with { InitialReads = [new InitialRead(serial, 10_960)] };
        var started = await city.RunAsync<StartService, StartServiceOutcome>(s => s.ExecuteAsync(request, "clerk"));

        Assert.True(AccountNumbers.IsValid(started.AccountNumber), started.AccountNumber);
        Assert.True(started.CustomerCreated);
        Assert.Equal(150_00, started.DepositCents);
        Assert.NotNull(started.LetterId);
        await using (var db = city.Fresh())
        {
            var account = await db.Accounts.SingleAsync(a => a.Id == started.AccountId);
            Assert.Equal(("C1", start, AccountStatus.Active), (account.CycleCode, account.OpenedOn, account.Status));
            var customer = await db.Customers.SingleAsync(c => c.Id == started.CustomerId);
            Assert.Equal(("***-**-6789", "Oregon driver license ending 4471", new DateOnly(1990, 4, 12)), (customer.MaskedIdentity, customer.IdentityDocument, customer.BirthDate));
            Assert.Equal(3, await db.ServiceAgreements.CountAsync(a => a.AccountId == account.Id && a.StartedOn == start && a.EndedOn == null));
            var moveIn = await db.Reads.SingleAsync(r => r.MeterId == city.Accounts[0].MeterId && r.ReadOn == start.AddDays(-1));
            Assert.True(moveIn.Status == ReadStatus.Valid, moveIn.Reasons);
            Assert.Equal(10_960L, moveIn.Reading);
            var letter = await db.Letters.SingleAsync(l => l.Id == started.LetterId);
            Assert.Equal(NoticeTemplates.Welcome, letter.Kind);
            Assert.Contains("begins on November 15, 2026", letter.Text, StringComparison.Ordinal);
            Assert.Contains("A deposit of $150.00 is required", letter.Text, StringComparison.Ordinal);
            Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.AccountId == account.Id && e.Action == "Start service"));
        }

        // The same customer again is caught by the SSN, the name and birth date, the phone and the e-mail.
        var matches = await city.RunAsync<CustomerMatches, IReadOnlyList<CustomerMatch>>(m => m.FindAsync(
            new ApplyingCustomer(CustomerKind.Person, "NEWCOMER, dana", new DateOnly(1990, 4, 12), IdentityNumberKind.Ssn, "123456789", "(541) 555.0199", " Dana@Example.org ")));
        var match = Assert.Single(matches);
        Assert.Equal(started.CustomerId, match.CustomerId);
        Assert.Equal(["same SSN or tax id", "same name and date of birth", "same phone", "same e-mail"], match.Reasons);

        // The first cycle bills it from the move-in read, from the start date.
        await using (var db = city.Fresh())
        {
            db.Reads.Add(MeterRead.Record(city.Accounts[0].MeterId, city.Accounts[0].WaterServicePointId, new DateOnly(2026, 12, 4), 13_760, ReadSource.Handheld, ReadVerdicts.Valid, DeviceFlags.None, "test", FixedClock.DemoToday));
            await db.SaveChangesAsync();
        }

        city.Clock.MoveTo(new DateOnly(2026, 12, 5));
        await city.RunAsync<RunBilling, BillingRunOutcome>(run => run.ExecuteAsync("C1", new DateOnly(2026, 12, 5), "clerk"));
        await using (var db = city.Fresh())
        {
            var problems = await db.BillingExceptions.Where(e => e.AccountId == started.AccountId).Select(e => e.Reason).ToListAsync();
            Assert.Empty(problems);
            var bill = await db.Bills.SingleAsync(b => b.AccountId == started.AccountId);
            Assert.Equal((start, new DateOnly(2026, 12, 4)), (bill.PeriodStart, bill.PeriodEnd));
            var segment = await db.BillSegments.SingleAsync(s => s.BillId == bill.Id && s.Service == Service.Water);
            Assert.Equal((10_960L, 13_760L), (segment.PreviousReading, segment.PresentReading));
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_transfer_stops_the_old_premise_starts_the_new_one_and_moves_the_final_balance(TestProvider provider)
    {
        TestDatabases.Require(provider, "transfer service");
        await using var city = await CityAsync(provider, "transfer service");
        var (_, serial) = await PremiseOfAsync(city, 1);
        var (vacantPremise, vacantSerial) = await PremiseOfAsync(city, 0);
        city.Clock.MoveTo(new DateOnly(2026, 11, 12));
        await city.RunAsync<StopService, FinalBillResult>(s => s.ExecuteAsync(new StopServiceRequest(city.Accounts[0].AccountNumber, new DateOnly(2026, 11, 10), [new FinalReading(vacantSerial, 10_400)], "Move-out"), "clerk"));

        city.Clock.MoveTo(new DateOnly(2026, 11, 20));
        var transfer = await city.RunAsync<TransferService, TransferServiceOutcome>(t => t.ExecuteAsync(
            new TransferServiceRequest(city.Accounts[1].AccountNumber, new DateOnly(2026, 11, 19), [new FinalReading(serial, 10_300)], vacantPremise,
                InitialReads: [new InitialRead(vacantSerial, 10_450)]), "clerk"));

        Assert.Equal(new DateOnly(2026, 11, 20), (await OpenedOnAsync(city, transfer.Started.AccountId)));
        Assert.Equal(transfer.FinalBill.AmountDueCents, transfer.Started.TransferredCents);
        Assert.True(transfer.Started.TransferredCents > 0);
        await using var db = city.Fresh();
        var old = await db.Accounts.SingleAsync(a => a.Id == city.Accounts[1].AccountId);
        Assert.Equal(AccountStatus.FinalBilled, old.Status);
        Assert.Equal(0, await db.OpenItems.Where(o => o.AccountId == old.Id).SumAsync(o => o.OpenCents));
        var moved = await db.BalanceTransfers.SingleAsync(t => t.FromAccountId == old.Id);
        Assert.Equal((transfer.Started.AccountId, transfer.FinalBill.AmountDueCents), (moved.ToAccountId, moved.AmountCents));
        var deposit = transfer.Started.DepositCents ?? 0;
        Assert.Equal(transfer.FinalBill.AmountDueCents + deposit, await db.OpenItems.Where(o => o.AccountId == transfer.Started.AccountId).SumAsync(o => o.OpenCents));
        Assert.Equal(city.Accounts[1].CustomerId, transfer.Started.CustomerId);
        Assert.False(transfer.Started.CustomerCreated);
        Assert.Single(await db.Letters.Where(l => l.AccountId == old.Id && l.Kind == NoticeTemplates.FinalBill).ToListAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Under_a_landlord_agreement_the_owner_carries_the_service_from_the_day_after_the_tenant_leaves_until_the_next_tenant(TestProvider provider)
    {
        TestDatabases.Require(provider, "landlord revert");
        await using var city = await CityAsync(provider, "landlord revert");
        var (premiseId, serial) = await PremiseOfAsync(city, 2);
        long ownerId;
        await using (var db = city.Fresh())
        {
            var owner = Customer.Create(CustomerKind.Person, "Lee Landlord", "lee@example.org", "541-555-0142", "9 Owner Way", "Riverbend", "OR", "97401", FixedClock.DemoToday);
            db.Customers.Add(owner);
            await db.SaveChangesAsync();
            ownerId = owner.Id;
        }

        await city.RunAsync<LandlordAgreements, LandlordAgreementView>(l => l.CreateAsync(premiseId, ownerId, new DateOnly(2026, 10, 1), "clerk"));
        city.Clock.MoveTo(new DateOnly(2026, 11, 20));
        var stop = await city.RunAsync<StopService, FinalBillResult>(s => s.ExecuteAsync(new StopServiceRequest(city.Accounts[2].AccountNumber, new DateOnly(2026, 11, 19), [new FinalReading(serial, 10_300)], "Move-out"), "clerk"));
        Assert.NotNull(stop.OwnerAccountNumber);

        city.Clock.MoveTo(new DateOnly(2026, 11, 25));
        var started = await city.RunAsync<StartService, StartServiceOutcome>(s => s.ExecuteAsync(
            NewCustomer(premiseId, new DateOnly(2026, 11, 25)) with { InitialReads = [new InitialRead(serial, 10_350)], NewCustomer = new ApplyingCustomer(CustomerKind.Person, "Tess Tenant", new DateOnly(1985, 1, 2), null, null, "541-555-0177", null), IdentityDocument = null }, "clerk"));
        Assert.Equal(stop.OwnerAccountNumber, started.OwnerAccountStopped);

        await using var check = city.Fresh();
        var pointIds = await check.ServicePoints.Where(p => p.PremiseId == premiseId).Select(p => p.Id).ToListAsync();
        var agreements = await check.ServiceAgreements.Where(a => pointIds.Contains(a.ServicePointId))
            .Join(check.Accounts, a => a.AccountId, acc => acc.Id, (a, acc) => new { a.ServicePointId, a.StartedOn, a.EndedOn, acc.AccountNumber, acc.OwnerRevert })
            .ToListAsync();
        foreach (var point in pointIds)
        {
            var spans = agreements.Where(a => a.ServicePointId == point).OrderBy(a => a.StartedOn).ToList();
            Assert.Equal(3, spans.Count);
            Assert.Equal((new DateOnly(2026, 11, 19), new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 24), new DateOnly(2026, 11, 25)),
                (spans[0].EndedOn!.Value, spans[1].StartedOn, spans[1].EndedOn!.Value, spans[2].StartedOn));
            Assert.True(spans[1].OwnerRevert);
            Assert.Equal(stop.OwnerAccountNumber, spans[1].AccountNumber);
            Assert.Null(spans[2].EndedOn);
        }

        var revert = await check.Accounts.SingleAsync(a => a.AccountNumber == stop.OwnerAccountNumber);
        Assert.Equal(AccountStatus.FinalBilled, revert.Status);
        var ownerBill = await check.Bills.SingleAsync(b => b.AccountId == revert.Id);
        Assert.Equal((new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 24)), (ownerBill.PeriodStart, ownerBill.PeriodEnd));
        var ownerWater = await check.BillSegments.SingleAsync(s => s.BillId == ownerBill.Id && s.Service == Service.Water);
        Assert.Equal((10_300L, 10_350L), (ownerWater.PreviousReading, ownerWater.PresentReading));
        Assert.Equal(ownerId, await check.AccountCustomers.Where(ac => ac.AccountId == revert.Id && ac.Role == AccountRole.Main).Select(ac => ac.CustomerId).SingleAsync());
        // The new tenant's owner is the landlord.
        Assert.Equal(ownerId, await check.AccountCustomers.Where(ac => ac.AccountId == started.AccountId && ac.Role == AccountRole.Owner).Select(ac => ac.CustomerId).SingleAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Bad_starts_are_refused_naming_the_field_and_change_nothing(TestProvider provider)
    {
        TestDatabases.Require(provider, "start service refusals");
        await using var city = await CityAsync(provider, "start service refusals");
        var (premiseId, serial) = await PremiseOfAsync(city, 0);
        city.Clock.MoveTo(new DateOnly(2026, 11, 20));

        async Task<string?> RefusedAsync(StartServiceRequest request)
        {
            int accounts, customers;
            await using (var db = city.Fresh())
            {
                (accounts, customers) = (await db.Accounts.CountAsync(), await db.Customers.CountAsync());
            }

            var refused = await Assert.ThrowsAsync<DomainException>(() => city.RunAsync<StartService, StartServiceOutcome>(s => s.ExecuteAsync(request, "clerk")));
            await using var after = city.Fresh();
            Assert.Equal((accounts, customers), (await after.Accounts.CountAsync(), await after.Customers.CountAsync()));
            return refused.Field;
        }

        // Served for another customer.
        Assert.Equal("premiseId", await RefusedAsync(NewCustomer(premiseId, new DateOnly(2026, 11, 20)) with { InitialReads = [new InitialRead(serial, 10_450)] }));

        await city.RunAsync<StopService, FinalBillResult>(s => s.ExecuteAsync(new StopServiceRequest(city.Accounts[0].AccountNumber, new DateOnly(2026, 11, 10), [new FinalReading(serial, 10_400)], "Move-out"), "clerk"));
        // Not after the last stop.
        Assert.Equal("startDate", await RefusedAsync(NewCustomer(premiseId, new DateOnly(2026, 11, 10)) with { InitialReads = [new InitialRead(serial, 10_450)] }));
        // No move-in read and no read order.
        Assert.Equal("initialReads", await RefusedAsync(NewCustomer(premiseId, new DateOnly(2026, 11, 18))));
        // The customer on file, keyed again with other punctuation.
        await using (var db = city.Fresh())
        {
            var onFile = await db.Customers.SingleAsync(c => c.Id == city.Accounts[1].CustomerId);
            onFile.UpdateContact(onFile.DisplayName, null, "541-555-0123", onFile.MailingLine1, onFile.MailingCity, onFile.MailingState, onFile.MailingZip);
            await db.SaveChangesAsync();
            Assert.Equal("customer", await RefusedAsync(new StartServiceRequest(null,
                new ApplyingCustomer(CustomerKind.Person, onFile.DisplayName.ToUpperInvariant(), null, null, null, "(541) 555 0123", null),
                premiseId, new DateOnly(2026, 11, 18), AccountClass.Residential, [new InitialRead(serial, 10_450)])));
        }

        // With a read order instead of a read, the start goes through and the order waits for the field.
        var started = await city.RunAsync<StartService, StartServiceOutcome>(s => s.ExecuteAsync(NewCustomer(premiseId, new DateOnly(2026, 11, 18)) with { ReadOrder = true }, "clerk"));
        Assert.NotNull(started.ReadOrderId);
        // A second applicant joins as co-applicant only when the clerk says so.
        var second = new StartServiceRequest(null, new ApplyingCustomer(CustomerKind.Person, "Robin Roommate", null, null, null, null, null), premiseId, new DateOnly(2026, 11, 18), AccountClass.Residential);
        Assert.Equal("premiseId", await RefusedAsync(second));
        var joined = await city.RunAsync<StartService, StartServiceOutcome>(s => s.ExecuteAsync(second with { JoinAsCoApplicant = true }, "clerk"));
        Assert.Equal(started.AccountNumber, joined.AccountNumber);
        await using var check = city.Fresh();
        Assert.True(await check.AccountCustomers.AnyAsync(ac => ac.AccountId == started.AccountId && ac.CustomerId == joined.CustomerId && ac.Role == AccountRole.CoApplicant));
    }

    private static async Task<DateOnly> OpenedOnAsync(PaymentCity city, long accountId)
    {
        await using var db = city.Fresh();
        return await db.Accounts.Where(a => a.Id == accountId).Select(a => a.OpenedOn).SingleAsync();
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Identity_numbers_stored_before_duplicate_detection_are_hashed_and_then_found(TestProvider provider)
    {
        TestDatabases.Require(provider, "identity hashes");
        await using var city = await CityAsync(provider, "identity hashes");
        await city.RunAsync<ChangeIdentityNumber, string>(c => c.ExecuteAsync(city.Accounts[2].CustomerId, IdentityNumberKind.Ssn, "555-44-3333", "On the application", "clerk"));
        await using (var db = city.Fresh())
        {
            // As a customer stored before the hash existed.
            await db.Customers.Where(c => c.Id == city.Accounts[2].CustomerId).ExecuteUpdateAsync(u => u.SetProperty(c => c.IdentityHash, (string?)null));
        }

        var applying = new ApplyingCustomer(CustomerKind.Person, "Someone Else", null, IdentityNumberKind.Ssn, "555443333", null, null);
        Assert.Empty(await city.RunAsync<CustomerMatches, IReadOnlyList<CustomerMatch>>(m => m.FindAsync(applying)));
        Assert.Equal(1, (await city.RunAsync<ProtectStoredFields, ProtectedFieldsOutcome>(h => h.ExecuteAsync())).IdentityNumbersHashed);
        Assert.Equal(0, (await city.RunAsync<ProtectStoredFields, ProtectedFieldsOutcome>(h => h.ExecuteAsync())).IdentityNumbersHashed);
        var match = Assert.Single(await city.RunAsync<CustomerMatches, IReadOnlyList<CustomerMatch>>(m => m.FindAsync(applying)));
        Assert.Equal((city.Accounts[2].CustomerId, "same SSN or tax id"), (match.CustomerId, match.Reasons.Single()));
    }
}
