namespace OpenCIS.Core.Common;

// One id type per concept, so an account id cannot be passed where a meter id is expected.
public readonly record struct CustomerId(long Value);
public readonly record struct AccountId(long Value);
public readonly record struct PremiseId(long Value);
public readonly record struct ServicePointId(long Value);
public readonly record struct ServiceAgreementId(long Value);
public readonly record struct MeterId(long Value);
public readonly record struct BillId(long Value);
public readonly record struct FinancialTransactionId(long Value);
public readonly record struct PaymentId(long Value);
public readonly record struct BillingRunId(long Value);
public readonly record struct OpenItemId(long Value);
