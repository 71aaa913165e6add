"""Every read and write of a tenant's records, one repository per aggregate.

`scoped.TenantScoped` is the base: one session, one tenant (every query filtered on it, PostgreSQL's
row-level security behind that), the `Actor`, and the audit row and revision bump of every change. On it:
`households.Households` (households and their records), `idempotency.IdempotencyKeys`, `jobs.PlanJobs`,
`plans.Plans` (stored and cached plans), `access.Access` (API keys and trusted documents) and
`processing.ProcessingOverrides` (a firm's own processing times). Tenants
themselves are not tenant-scoped: `tenants` reads and makes them. Import the repository you need; several
on one session (`TenantScoped.sibling`) share its transaction, which the caller owns.
"""
