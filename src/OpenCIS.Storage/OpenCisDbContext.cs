using OpenCIS.Core.Metering;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Ledger;
using OpenCIS.Storage.Metering;
using OpenCIS.Storage.Payments;
using OpenCIS.Storage.Rating;
using OpenCIS.Storage.ServiceOrders;

using BillSegment = OpenCIS.Storage.Billing.BillSegment;

namespace OpenCIS.Storage;

/// <summary>
/// The one EF Core model, for SQLite and PostgreSQL alike. Tables and columns are snake_case;
/// enums are stored as their names so the database reads the way the code does. The schema itself
/// is created by <see cref="SchemaMigrator"/>, never by EnsureCreated.
/// </summary>
public sealed class OpenCisDbContext(DbContextOptions<OpenCisDbContext> options) : IdentityDbContext<IdentityUser, IdentityRole, string>(options)
{
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<AccountCustomer> AccountCustomers => Set<AccountCustomer>();
    public DbSet<Premise> Premises => Set<Premise>();
    public DbSet<ServicePoint> ServicePoints => Set<ServicePoint>();
    public DbSet<Meter> Meters => Set<Meter>();
    public DbSet<MeterRead> Reads => Set<MeterRead>();
    public DbSet<MeterEvent> MeterEvents => Set<MeterEvent>();
    public DbSet<ServiceOrder> ServiceOrders => Set<ServiceOrder>();
    public DbSet<ServiceOrderChange> ServiceOrderChanges => Set<ServiceOrderChange>();
    public DbSet<RateSchedule> RateSchedules => Set<RateSchedule>();
    public DbSet<RateValueRow> RateValues => Set<RateValueRow>();
    public DbSet<BillReviewRuleRow> BillReviewRules => Set<BillReviewRuleRow>();
    public DbSet<BudgetPlanRow> BudgetPlans => Set<BudgetPlanRow>();
    public DbSet<BillMessageRow> BillMessages => Set<BillMessageRow>();
    public DbSet<IntervalDayRow> IntervalDays => Set<IntervalDayRow>();
    public DbSet<ServiceAgreement> ServiceAgreements => Set<ServiceAgreement>();
    public DbSet<BillingCycle> BillingCycles => Set<BillingCycle>();
    public DbSet<Holiday> Holidays => Set<Holiday>();
    public DbSet<BillingRun> BillingRuns => Set<BillingRun>();
    public DbSet<BillingException> BillingExceptions => Set<BillingException>();
    public DbSet<BillingRunChunk> BillingRunChunks => Set<BillingRunChunk>();
    public DbSet<Bill> Bills => Set<Bill>();
    public DbSet<BillSegment> BillSegments => Set<BillSegment>();
    public DbSet<BillLine> BillLines => Set<BillLine>();
    public DbSet<BillRemovedMeter> BillRemovedMeters => Set<BillRemovedMeter>();
    public DbSet<FinancialTransaction> FinancialTransactions => Set<FinancialTransaction>();
    public DbSet<GlEntry> GlEntries => Set<GlEntry>();
    public DbSet<OpenItem> OpenItems => Set<OpenItem>();
    public DbSet<ItemAllocation> ItemAllocations => Set<ItemAllocation>();
    public DbSet<GlAccountRow> GlAccounts => Set<GlAccountRow>();
    public DbSet<AllocationPriorityRow> AllocationPriorities => Set<AllocationPriorityRow>();
    public DbSet<IdempotentRequest> IdempotentRequests => Set<IdempotentRequest>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<ImportedFile> ImportedFiles => Set<ImportedFile>();
    public DbSet<ImportedFileChunk> ImportedFileChunks => Set<ImportedFileChunk>();
    public DbSet<SuspenseItem> SuspenseItems => Set<SuspenseItem>();
    public DbSet<Payments.Drawers.DrawerSession> DrawerSessions => Set<Payments.Drawers.DrawerSession>();
    public DbSet<Payments.Drawers.PaymentTender> PaymentTenders => Set<Payments.Drawers.PaymentTender>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Payments.Ach.AchEnrollment> AchEnrollments => Set<Payments.Ach.AchEnrollment>();
    public DbSet<Payments.Ach.AchFile> AchFiles => Set<Payments.Ach.AchFile>();
    public DbSet<Payments.Ach.AchEntry> AchEntries => Set<Payments.Ach.AchEntry>();
    public DbSet<Payments.Ach.AchReturnRecord> AchReturns => Set<Payments.Ach.AchReturnRecord>();
    public DbSet<Billing.Corrections.AccountAdjustment> AccountAdjustments => Set<Billing.Corrections.AccountAdjustment>();
    public DbSet<Deposits.Deposit> Deposits => Set<Deposits.Deposit>();
    public DbSet<Deposits.DepositRefundReview> DepositRefundReviews => Set<Deposits.DepositRefundReview>();
    public DbSet<Payments.Mail.MailBatch> MailBatches => Set<Payments.Mail.MailBatch>();
    public DbSet<Payments.Mail.MailBatchItem> MailBatchItems => Set<Payments.Mail.MailBatchItem>();
    public DbSet<Payments.Returns.PaymentReturn> PaymentReturns => Set<Payments.Returns.PaymentReturn>();
    public DbSet<Receivables.Refund> Refunds => Set<Receivables.Refund>();
    public DbSet<Receivables.BalanceTransfer> BalanceTransfers => Set<Receivables.BalanceTransfer>();
    public DbSet<Receivables.WriteOff> WriteOffs => Set<Receivables.WriteOff>();
    public DbSet<Jobs.JobRecord> Jobs => Set<Jobs.JobRecord>();
    public DbSet<Jobs.JobFileRecord> JobFiles => Set<Jobs.JobFileRecord>();
    public DbSet<Mail.OutgoingMail> OutgoingMail => Set<Mail.OutgoingMail>();
    public DbSet<Collections.CollectionPolicyVersion> CollectionPolicies => Set<Collections.CollectionPolicyVersion>();
    public DbSet<Collections.AccountCollection> AccountCollections => Set<Collections.AccountCollection>();
    public DbSet<Collections.CollectionEventRecord> CollectionEvents => Set<Collections.CollectionEventRecord>();
    public DbSet<Collections.CollectionRun> CollectionRuns => Set<Collections.CollectionRun>();
    public DbSet<Collections.CollectionRunChunk> CollectionRunChunks => Set<Collections.CollectionRunChunk>();
    public DbSet<Collections.AccountProtection> AccountProtections => Set<Collections.AccountProtection>();
    public DbSet<Collections.Arrangement> Arrangements => Set<Collections.Arrangement>();
    public DbSet<Collections.ArrangementInstallment> ArrangementInstallments => Set<Collections.ArrangementInstallment>();
    public DbSet<Collections.Promise> Promises => Set<Collections.Promise>();
    public DbSet<Collections.ChargeWaiver> ChargeWaivers => Set<Collections.ChargeWaiver>();
    public DbSet<Collections.CollectionContact> CollectionContacts => Set<Collections.CollectionContact>();
    public DbSet<Collections.AccountNote> AccountNotes => Set<Collections.AccountNote>();
    public DbSet<Collections.PostedTemperature> Temperatures => Set<Collections.PostedTemperature>();
    public DbSet<Collections.CollectionNoticeTemplate> NoticeTemplates => Set<Collections.CollectionNoticeTemplate>();
    public DbSet<Collections.CollectionNotice> CollectionNotices => Set<Collections.CollectionNotice>();
    public DbSet<Letters.Letter> Letters => Set<Letters.Letter>();
    public DbSet<LandlordAgreement> LandlordAgreements => Set<LandlordAgreement>();
    public DbSet<Cases.AccountCase> AccountCases => Set<Cases.AccountCase>();
    public DbSet<Cases.CaseChange> CaseChanges => Set<Cases.CaseChange>();
    public DbSet<Assistance.AssistanceProgramRow> AssistancePrograms => Set<Assistance.AssistanceProgramRow>();
    public DbSet<Assistance.ProgramEnrollmentRow> ProgramEnrollments => Set<Assistance.ProgramEnrollmentRow>();
    public DbSet<Assistance.AssistancePledgeRow> AssistancePledges => Set<Assistance.AssistancePledgeRow>();
    public DbSet<Invoices.InvoiceTypeRow> InvoiceTypes => Set<Invoices.InvoiceTypeRow>();
    public DbSet<Invoices.InvoiceRow> Invoices => Set<Invoices.InvoiceRow>();
    public DbSet<Invoices.InvoiceLineRow> InvoiceLines => Set<Invoices.InvoiceLineRow>();
    public DbSet<Invoices.InvoiceImportRow> InvoiceImports => Set<Invoices.InvoiceImportRow>();
    public DbSet<Invoices.DebtCheckRow> DebtChecks => Set<Invoices.DebtCheckRow>();
    public DbSet<Invoices.HoldRow> Holds => Set<Invoices.HoldRow>();
    public DbSet<Invoices.InvoiceRemittanceRow> InvoiceRemittances => Set<Invoices.InvoiceRemittanceRow>();
    public DbSet<Invoices.InvoiceWaiverRow> InvoiceWaivers => Set<Invoices.InvoiceWaiverRow>();
    public DbSet<Bankruptcy.BankruptcyCaseRow> BankruptcyCases => Set<Bankruptcy.BankruptcyCaseRow>();
    public DbSet<Bankruptcy.BankruptcyAccountRow> BankruptcyAccounts => Set<Bankruptcy.BankruptcyAccountRow>();
    public DbSet<Bankruptcy.BankruptcyClaimRow> BankruptcyClaims => Set<Bankruptcy.BankruptcyClaimRow>();
    public DbSet<Bankruptcy.BankruptcyPaymentRow> BankruptcyPayments => Set<Bankruptcy.BankruptcyPaymentRow>();
    public DbSet<Bankruptcy.BankruptcyPaymentLineRow> BankruptcyPaymentLines => Set<Bankruptcy.BankruptcyPaymentLineRow>();
    public DbSet<Pursuit.CollectionAgencyRow> CollectionAgencies => Set<Pursuit.CollectionAgencyRow>();
    public DbSet<Pursuit.ReferralRow> Referrals => Set<Pursuit.ReferralRow>();
    public DbSet<Pursuit.PlacementFileRow> PlacementFiles => Set<Pursuit.PlacementFileRow>();
    public DbSet<Pursuit.AgencyRemittanceRow> AgencyRemittances => Set<Pursuit.AgencyRemittanceRow>();
    public DbSet<Pursuit.AgencyPaymentRow> AgencyPayments => Set<Pursuit.AgencyPaymentRow>();
    public DbSet<Pursuit.PursuitStandingRow> PursuitStandings => Set<Pursuit.PursuitStandingRow>();
    public DbSet<Liens.LienRow> Liens => Set<Liens.LienRow>();
    public DbSet<Liens.LienItemRow> LienItems => Set<Liens.LienItemRow>();
    public DbSet<Liens.LienCertificationRow> LienCertifications => Set<Liens.LienCertificationRow>();
    public DbSet<Campaigns.CampaignRow> Campaigns => Set<Campaigns.CampaignRow>();
    public DbSet<Campaigns.CampaignTargetRow> CampaignTargets => Set<Campaigns.CampaignTargetRow>();
    public DbSet<Campaigns.CampaignCallRow> CampaignCalls => Set<Campaigns.CampaignCallRow>();
    public DbSet<AlternateContact> AlternateContacts => Set<AlternateContact>();
    public DbSet<ReturnedMailFile> ReturnedMailFiles => Set<ReturnedMailFile>();
    public DbSet<ReturnedMailItem> ReturnedMail => Set<ReturnedMailItem>();
    public DbSet<Invoices.InvoiceStatementRow> InvoiceStatements => Set<Invoices.InvoiceStatementRow>();
    public DbSet<Invoices.InvoiceLateChargeRow> InvoiceLateCharges => Set<Invoices.InvoiceLateChargeRow>();
    public DbSet<Users.ApiKeyRow> ApiKeys => Set<Users.ApiKeyRow>();
    public DbSet<Users.ApiKeyUseRow> ApiKeyUses => Set<Users.ApiKeyUseRow>();
    public DbSet<Portal.PortalUser> PortalUsers => Set<Portal.PortalUser>();
    public DbSet<Portal.PortalUserAccount> PortalUserAccounts => Set<Portal.PortalUserAccount>();
    public DbSet<Portal.OnlinePayment> OnlinePayments => Set<Portal.OnlinePayment>();
    public DbSet<Portal.ProcessorEvent> ProcessorEvents => Set<Portal.ProcessorEvent>();
    public DbSet<Portal.OneTimeDebit> OneTimeDebits => Set<Portal.OneTimeDebit>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Service>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<Unit>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<CustomerKind>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<AccountClass>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<AccountStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<AccountRole>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<IdentityNumberKind>().HaveConversion<string>().HaveMaxLength(10);
        configurationBuilder.Properties<MeterStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<ReadSource>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<ReadStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<ServicePointState>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<MeterEventKind>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<ServiceOrderKind>().HaveConversion<string>().HaveMaxLength(30);
        configurationBuilder.Properties<Core.Cases.CaseKind>().HaveConversion<string>().HaveMaxLength(40);
        configurationBuilder.Properties<Core.Cases.CaseStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<ServiceOrderStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<ServiceOrderResult>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<BillingRunStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<BillingChunkStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<BillStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<BillKind>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<BudgetPlanStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<Billing.Corrections.AdjustmentStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<FinancialTransactionType>().HaveConversion<string>().HaveMaxLength(30);
        configurationBuilder.Properties<Tender>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<PaymentSource>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<SuspenseReason>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<SuspenseStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<DrawerStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<Core.Payments.Ach.AchAccountType>().HaveConversion<string>().HaveMaxLength(10);
        configurationBuilder.Properties<Core.Payments.Ach.AchEntryClass>().HaveConversion<string>().HaveMaxLength(10);
        configurationBuilder.Properties<Payments.Ach.AchEnrollmentStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<Payments.Mail.MailBatchStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<PaymentReturnReason>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<decimal>().HavePrecision(18, 6);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<Customer>(e =>
        {
            e.Property(c => c.DisplayName).HasMaxLength(200);
            e.HasIndex(c => c.DisplayName);
            e.Property(c => c.PhoneDigits).HasMaxLength(SearchKeys.PhoneDigitsLength);
            e.HasIndex(c => c.PhoneDigits);
            e.Property(c => c.EmailKey).HasMaxLength(SearchKeys.EmailLength);
            e.HasIndex(c => c.EmailKey);
            e.Property(c => c.NameKey).HasMaxLength(SearchKeys.NameLength);
            e.HasIndex(c => c.NameKey);
            e.Property(c => c.IdentityHash).HasMaxLength(64);
            e.HasIndex(c => c.IdentityHash);
            e.HasIndex(c => c.BirthDate);
            e.Property(c => c.IdentityDocument).HasMaxLength(Customer.IdentityDocumentLengthMax);
            e.Property(c => c.MailReturnedReason).HasMaxLength(SkipTracing.ReasonLengthMax);
            e.Property(c => c.PhoneFailedReason).HasMaxLength(SkipTracing.ReasonLengthMax);
            e.Property(c => c.EmailFailedReason).HasMaxLength(SkipTracing.ReasonLengthMax);
            e.Ignore(c => c.Failures);
            e.Ignore(c => c.MaskedIdentity);
            e.Ignore(c => c.MailingAddress);
        });
        builder.Entity<Account>(e =>
        {
            e.HasIndex(a => a.AccountNumber).IsUnique();
            e.HasIndex(a => a.PremiseId);
            e.HasIndex(a => new { a.CycleCode, a.Status });
            e.HasIndex(a => new { a.RouteCode, a.RouteSequence });
            e.Property(a => a.AccountNumber).HasMaxLength(20);
            e.Property(a => a.CycleCode).HasMaxLength(20);
            e.Property(a => a.BillDelivery).HasConversion<string>().HasMaxLength(10);
            e.Ignore(a => a.IsCityReceivables);
        });
        builder.Entity<LandlordAgreement>(e =>
        {
            e.ToTable("landlord_agreements");
            e.HasIndex(x => x.PremiseId);
            e.HasIndex(x => x.OwnerCustomerId);
            e.Property(x => x.CreatedBy).HasMaxLength(100);
        });
        builder.Entity<AccountCustomer>(e =>
        {
            e.HasIndex(x => new { x.AccountId, x.Role });
            e.HasIndex(x => x.CustomerId);
        });
        builder.Entity<Premise>(e =>
        {
            e.HasIndex(p => p.AddressLine1);
            e.HasIndex(p => p.ParcelId);
            e.Property(p => p.AddressKey).HasMaxLength(SearchKeys.AddressLength);
            e.HasIndex(p => p.AddressKey);
            e.HasIndex(p => p.Zip);
            e.Ignore(p => p.FullAddress);
        });
        builder.Entity<ServicePoint>(e => e.HasIndex(s => s.PremiseId));
        builder.Entity<Meter>(e =>
        {
            e.HasIndex(m => m.Serial).IsUnique();
            e.HasIndex(m => m.ServicePointId);
        });
        builder.Entity<MeterRead>(e =>
        {
            e.ToTable("meter_reads");
            e.HasIndex(r => new { r.MeterId, r.ReadOn });
            // Only the few reads awaiting review are indexed for the queue: a million valid reads pay for no index they never use.
            e.HasIndex(r => r.ReadOn).HasFilter("status IN ('Suspect', 'Rejected') AND reviewed_by IS NULL").HasDatabaseName("ix_meter_reads_awaiting_review");
            e.Ignore(r => r.AwaitsReview);
        });
        builder.Entity<Meter>().Ignore(m => m.Register);
        builder.Entity<MeterEvent>(e =>
        {
            e.HasIndex(x => new { x.MeterId, x.OccurredOn });
            e.HasIndex(x => new { x.ServicePointId, x.OccurredOn });
        });
        builder.Entity<ServiceOrder>(e =>
        {
            e.HasIndex(o => new { o.Status, o.DueOn });
            e.HasIndex(o => o.MeterId);
            e.HasIndex(o => new { o.AccountId, o.Kind, o.Status });
            e.Property(o => o.AssignedTo).HasMaxLength(ServiceOrder.UserLengthMax);
            e.Property(o => o.Queue).HasMaxLength(ServiceOrder.QueueLengthMax);
            e.HasIndex(o => new { o.DueOn, o.AssignedTo });
            e.Property(o => o.CompletedBy).HasMaxLength(ServiceOrder.UserLengthMax);
            e.Property(o => o.CompletionNote).HasMaxLength(ServiceOrder.NoteLengthMax);
            e.Property(o => o.CanceledBy).HasMaxLength(ServiceOrder.UserLengthMax);
            e.Property(o => o.CancelReason).HasMaxLength(ServiceOrder.NoteLengthMax);
            e.Ignore(o => o.IsOpen);
            e.HasMany(o => o.Changes).WithOne().HasForeignKey(c => c.ServiceOrderId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<ServiceOrderChange>(e =>
        {
            e.ToTable("service_order_changes");
            e.Property(c => c.What).HasMaxLength(200);
            e.Property(c => c.Note).HasMaxLength(ServiceOrder.NoteLengthMax);
            e.Property(c => c.ChangedBy).HasMaxLength(ServiceOrder.UserLengthMax);
            e.HasIndex(c => c.ServiceOrderId);
        });
        builder.Entity<RateSchedule>(e => e.HasIndex(r => new { r.Code, r.EffectiveFrom }).IsUnique());
        builder.Entity<BillReviewRuleRow>(e =>
        {
            e.ToTable("bill_review_rules");
            e.HasKey(r => r.AccountClass);
            e.Property(r => r.UpdatedBy).HasMaxLength(100);
        });
        builder.Entity<BudgetPlanRow>(e =>
        {
            e.ToTable("budget_plans");
            e.Property(p => p.EnrolledBy).HasMaxLength(100);
            e.Property(p => p.EndedBy).HasMaxLength(100);
            e.Property(p => p.EndReason).HasMaxLength(BudgetPlanRow.ReasonLengthMax);
            // One active plan per account; the ended ones are its history.
            e.HasIndex(p => p.AccountId, "ix_budget_plans_active").IsUnique().HasFilter("status = 'Active'");
            e.HasIndex(p => p.AccountId, "ix_budget_plans_account_id");
        });
        builder.Entity<BillMessageRow>(e =>
        {
            e.ToTable("bill_messages");
            e.Property(m => m.Text).HasMaxLength(Core.Billing.BillMessages.TextLengthMax);
            e.Property(m => m.CycleCode).HasMaxLength(Core.Billing.BillMessages.CodeLengthMax);
            e.Property(m => m.RouteCode).HasMaxLength(Core.Billing.BillMessages.CodeLengthMax);
            e.Property(m => m.ProgramCode).HasMaxLength(Core.Billing.BillMessages.CodeLengthMax);
            e.Property(m => m.CreatedBy).HasMaxLength(100);
            e.Property(m => m.UpdatedBy).HasMaxLength(100);
            // A run loads the messages in force on its date: those not yet ended.
            e.HasIndex(m => m.EndsOn);
        });
        builder.Entity<RateValueRow>(e =>
        {
            e.ToTable("rate_values");
            e.Property(v => v.Name).HasMaxLength(RateValueRow.NameLengthMax);
            e.Property(v => v.RecordedBy).HasMaxLength(100);
            e.HasIndex(v => new { v.Name, v.EffectiveFrom }).IsUnique();
        });
        builder.Entity<IntervalDayRow>(e =>
        {
            e.ToTable("interval_days");
            // A meter's reactive energy (kvarh) days beside its real energy days: one row per meter, day and unit.
            e.HasKey(d => new { d.MeterId, d.Day, d.Unit });
        });
        builder.Entity<ServiceAgreement>(e =>
        {
            e.Property(a => a.Attributes).HasMaxLength(ServiceAttributes.MaxTextLength);
            e.HasIndex(a => a.AccountId);
            e.HasIndex(a => a.ServicePointId);
        });
        builder.Entity<BillingCycle>(e =>
        {
            e.HasKey(c => c.Code);
            // No EF default values: a cycle billed 0 days after its read must be stored as 0, not replaced by the column default.
            e.Ignore(c => c.Rules);
        });
        builder.Entity<GlAccountRow>(e => e.HasKey(a => a.Code));
        builder.Entity<AllocationPriorityRow>(e => e.HasKey(p => p.TransactionType));
        // A stored answer is its user's own: another user's request under the same key is a request of its own.
        builder.Entity<IdempotentRequest>(e => e.HasKey(r => new { r.UserName, r.Key }));
        builder.Entity<Holiday>(e =>
        {
            e.HasKey(h => new { h.Calendar, h.Date });
        });
        builder.Entity<BillingRun>(e => e.HasIndex(r => new { r.CycleCode, r.BusinessDate }).IsUnique());
        builder.Entity<BillingRunChunk>(e => e.HasKey(c => new { c.BillingRunId, c.Sequence }));
        builder.Entity<BillingException>(e =>
        {
            e.HasIndex(x => new { x.BillingRunId, x.AccountId }).IsUnique();
            e.HasIndex(x => x.AccountId);
        });
        builder.Entity<Bill>(e =>
        {
            e.HasIndex(b => new { b.AccountId, b.BillDate });
            // One bill per account per run: the guard that makes a resumed or repeated run harmless.
            e.HasIndex(b => new { b.BillingRunId, b.AccountId }).IsUnique();
            e.HasMany(b => b.Segments).WithOne().HasForeignKey(s => s.BillId);
            e.HasOne(b => b.Transaction).WithMany().HasForeignKey(b => b.FinancialTransactionId);
            e.Property(b => b.CanceledBy).HasMaxLength(100);
            e.Property(b => b.HoldReasons).HasMaxLength(2000);
            e.Property(b => b.Messages).HasMaxLength(Bill.MessagesLengthMax);
            e.Property(b => b.ReleasedBy).HasMaxLength(100);
            // The held bills are few and looked up by the run and the review: only they are indexed.
            e.HasIndex(b => b.AccountId).HasFilter("status = 'Held'").HasDatabaseName("ix_bills_held");
            e.Property(b => b.CancelIdempotencyKey).HasMaxLength(100);
            // Set only on corrected bills: the indexes hold just those, so a billing run's inserts skip them.
            e.HasIndex(Bill.CancelKey.PropertyNames).IsUnique().HasFilter("cancel_idempotency_key IS NOT NULL");
            e.HasIndex(b => b.ReplacesBillId).HasFilter("replaces_bill_id IS NOT NULL");
        });
        builder.Entity<BillSegment>(e =>
        {
            e.HasMany(s => s.Lines).WithOne().HasForeignKey(l => l.BillSegmentId);
            e.HasMany(s => s.RemovedMeters).WithOne().HasForeignKey(m => m.BillSegmentId);
        });
        builder.Entity<FinancialTransaction>(e =>
        {
            e.HasIndex(t => new { t.AccountId, t.Id });
            e.HasMany(t => t.GlEntries).WithOne().HasForeignKey(g => g.FinancialTransactionId);
        });
        builder.Entity<GlEntry>(e => e.HasIndex(g => new { g.GlAccount, g.EffectiveOn }));
        builder.Entity<OpenItem>(e =>
        {
            // Only what is still open is looked up by account; settled items stay out of the index. It carries what the
            // collections run reads of each open item, so the run's reads of a range of accounts never visit the table.
            e.HasIndex(o => new { o.AccountId, o.FinancialTransactionId, o.DueOn, o.PostedOn, o.OpenCents }).HasFilter("open_cents <> 0").HasDatabaseName("ix_open_items_open_by_account");
            e.HasOne(o => o.Transaction).WithMany().HasForeignKey(o => o.FinancialTransactionId);
        });
        builder.Entity<ItemAllocation>(e =>
        {
            e.HasOne(a => a.ChargeItem).WithMany().HasForeignKey(a => a.ChargeItemId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(a => a.CreditItem).WithMany().HasForeignKey(a => a.CreditItemId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(a => a.EffectiveOn);
        });
        builder.Entity<Payment>(e =>
        {
            e.Ignore(p => p.ReceiptNumber);
            e.HasIndex(Payment.RequestKey.PropertyNames).IsUnique();
            e.HasIndex(p => new { p.AccountId, p.ReceivedOn });
            e.HasIndex(p => p.DrawerSessionId);
            e.HasOne(p => p.Transaction).WithMany().HasForeignKey(p => p.FinancialTransactionId);
        });
        builder.Entity<Payments.Drawers.DrawerSession>(e =>
        {
            e.Ignore(d => d.StartingFloat);
            e.Property(d => d.Cashier).HasMaxLength(100);
            e.Property(d => d.ApprovedBy).HasMaxLength(100);
            e.Property(d => d.ApprovalNote).HasMaxLength(500);
            e.HasIndex(d => d.Cashier).IsUnique().HasFilter("status = 'Open'").HasDatabaseName("ix_drawer_sessions_open_cashier");
            e.HasIndex(d => d.Status);
        });
        builder.Entity<Payments.Drawers.PaymentTender>(e =>
        {
            e.Property(t => t.Reference).HasMaxLength(50);
            e.Property(t => t.CardToken).HasMaxLength(100);
            e.Property(t => t.CardLastFour).HasMaxLength(4);
            e.HasOne<Payment>().WithMany().HasForeignKey(t => t.PaymentId);
            e.HasOne<Payments.Drawers.DrawerSession>().WithMany().HasForeignKey(t => t.DrawerSessionId);
            e.HasIndex(t => t.PaymentId);
            e.HasIndex(t => t.DrawerSessionId);
        });
        builder.Entity<ImportedFile>(e => e.HasIndex(f => new { f.Kind, f.Sha256 }).IsUnique());
        builder.Entity<ImportedFileChunk>(e => e.HasKey(c => new { c.ImportedFileId, c.FirstRecord }));
        builder.Entity<SuspenseItem>(e =>
        {
            e.Ignore(s => s.Amount);
            e.HasIndex(s => s.Status);
        });
        builder.Entity<Billing.Corrections.AccountAdjustment>(e =>
        {
            e.Property(a => a.ReasonCode).HasMaxLength(30);
            e.Property(a => a.RequestedBy).HasMaxLength(100);
            e.Property(a => a.DecidedBy).HasMaxLength(100);
            e.Property(a => a.IdempotencyKey).HasMaxLength(100);
            e.Property(a => a.RequestFingerprint).HasMaxLength(64);
            e.HasIndex(Billing.Corrections.AccountAdjustment.RequestKey.PropertyNames).IsUnique();
            e.HasIndex(a => new { a.Status, a.RequestedAt });
            e.HasIndex(a => a.AccountId);
        });
        builder.Entity<Payments.Ach.AchEnrollment>(e =>
        {
            e.ToTable("ach_enrollments");
            e.Ignore(x => x.MaskedAccountNumber);
            e.Property(x => x.RoutingNumber).HasMaxLength(9);
            e.Property(x => x.DfiAccountCipher).HasMaxLength(200);
            e.Property(x => x.DfiAccountLastFour).HasMaxLength(4);
            e.Property(x => x.HolderName).HasMaxLength(22);
            e.Property(x => x.EnrolledBy).HasMaxLength(100);
            // One enrollment in force per account: two clerks enrolling it at once cannot both succeed.
            e.HasIndex(x => x.AccountId).IsUnique().HasFilter("status <> 'Cancelled'");
            e.HasIndex(x => x.Status);
        });
        builder.Entity<Payments.Ach.AchFile>(e =>
        {
            e.ToTable("ach_files");
            e.Property(x => x.CreatedBy).HasMaxLength(100);
            // One debit file per settlement date: asking again returns it instead of debiting twice.
            e.HasIndex(x => x.SettlementDate).IsUnique();
        });
        builder.Entity<Payments.Ach.AchEntry>(e =>
        {
            e.ToTable("ach_entries");
            e.Property(x => x.TraceNumber).HasMaxLength(15);
            e.HasIndex(x => x.TraceNumber).IsUnique();
            // A bill is debited once, whatever date a file is generated for.
            e.HasIndex(x => x.BillId).IsUnique().HasFilter("bill_id IS NOT NULL");
            // A refund goes out once.
            e.HasIndex(x => x.RefundId).IsUnique().HasFilter("refund_id IS NOT NULL");
            // A customer's one-time debit goes out once, whatever date a file is generated for.
            e.HasIndex(x => x.OneTimeDebitId).IsUnique().HasFilter("one_time_debit_id IS NOT NULL");
            e.HasIndex(x => x.AchFileId);
        });
        builder.Entity<Payments.Ach.AchReturnRecord>(e =>
        {
            e.ToTable("ach_returns");
            e.Property(x => x.ReasonCode).HasMaxLength(3);
            e.HasIndex(x => x.AchEntryId).IsUnique();
            e.HasIndex(x => new { x.AccountId, x.ReturnedOn });
        });
        builder.Entity<Payments.Mail.MailBatch>(e =>
        {
            e.Property(x => x.OpenedBy).HasMaxLength(100);
            e.Property(x => x.PostedBy).HasMaxLength(100);
            e.HasIndex(x => x.Status);
        });
        builder.Entity<Payments.Mail.MailBatchItem>(e =>
        {
            e.Property(x => x.ScanLine).HasMaxLength(37);
            e.Property(x => x.AccountNumber).HasMaxLength(20);
            e.Property(x => x.CheckNumber).HasMaxLength(20);
            e.Property(x => x.KeyedBy).HasMaxLength(100);
            e.HasOne<Payments.Mail.MailBatch>().WithMany().HasForeignKey(x => x.MailBatchId);
            e.HasIndex(x => x.MailBatchId);
        });
        builder.Entity<Payments.Returns.PaymentReturn>(e =>
        {
            e.Property(x => x.BankReference).HasMaxLength(50);
            e.Property(x => x.ReturnedBy).HasMaxLength(100);
            e.Property(x => x.IdempotencyKey).HasMaxLength(100);
            e.Property(x => x.RequestFingerprint).HasMaxLength(64);
            // A payment comes back from the bank once: a second return of it is refused by the database too.
            e.HasIndex(x => x.PaymentId).IsUnique();
            e.HasIndex(global::OpenCIS.Storage.Payments.Returns.PaymentReturn.RequestKey.PropertyNames).IsUnique();
            e.HasIndex(x => new { x.AccountId, x.ReturnedOn });
        });
        builder.Entity<AuditEntry>(e =>
        {
            e.HasIndex(a => a.AccountId);
            e.HasIndex(a => new { a.EntityType, a.EntityId });
        });

        global::OpenCIS.Storage.Deposits.Deposit.Configure(builder);
        global::OpenCIS.Storage.Cases.AccountCase.Configure(builder);
        Receivables.ReceivablesModel.Configure(builder);
        Storage.Jobs.JobsModel.Configure(builder);
        Storage.Mail.MailModel.Configure(builder);
        Storage.Collections.CollectionsModel.Configure(builder);
        Storage.Collections.NoticesModel.Configure(builder);
        Storage.Letters.LettersModel.Configure(builder);
        Storage.Assistance.AssistanceModel.Configure(builder);
        Storage.Invoices.InvoicesModel.Configure(builder);
        Storage.Bankruptcy.BankruptcyModel.Configure(builder);
        Storage.Pursuit.PursuitModel.Configure(builder);
        Storage.Liens.LienModel.Configure(builder);
        Storage.Campaigns.CampaignModel.Configure(builder);
        SkipTraceModel.Configure(builder);
        Storage.Users.ApiKeysModel.Configure(builder);
        Storage.Portal.PortalModel.Configure(builder);
        Storage.Portal.OneTimeDebitModel.Configure(builder);
        ApplySnakeCaseNames(builder);
    }

    private static void ApplySnakeCaseNames(ModelBuilder builder)
    {
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            entity.SetTableName(SnakeCase(entity.GetTableName()!));
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.GetColumnName()));
            }

            foreach (var key in entity.GetKeys())
            {
                key.SetName(SnakeCase(key.GetName()!));
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                foreignKey.SetConstraintName(SnakeCase(foreignKey.GetConstraintName()!));
            }

            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName(SnakeCase(index.GetDatabaseName()!));
            }
        }
    }

    private static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_' && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
