namespace OpenCIS.Core.Common;

// One id type per concept the core is handed, so an account id cannot be passed where a service
// agreement's is expected. Only the ids the core's own types carry (a bill's account, a segment's
// agreement) are typed: rows, workflows and hosts key everything by long, and typing every id at those
// boundaries would touch several hundred call sites, each already checked by the persistence tests,
// for no rule the core enforces. The other ids were declared here and never constructed, so they
// were deleted; add one when a core type takes that id.
public readonly record struct AccountId(long Value);
public readonly record struct ServiceAgreementId(long Value);
