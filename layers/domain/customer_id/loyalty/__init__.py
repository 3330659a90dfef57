"""Loyalty, a base feature: tiers, the points ledger with expiring lots, the catalog and
redemptions. It imports only the kernel. Workflows and features that move points together with
their own writes import the value-move core, `ledger` (never the API's modules): they plan the
change (`ledger.plan_earn`, `ledger.plan_bonus`), stage it into their `db.UnitOfWork`
(`ledger.stage`) and commit through `db.retry(..., retry_on=(StaleAccount,))`. The tier rules are
`tiers`. Each API route has its own use case module (`accounts`, `transactions`, `adjustments`,
`catalog`, `redemptions`, `cancellations`, `tier_list`) and schemas (`schemas.<route>`), so that a
handler builds only its own route's models; the daily expiry is `expiry`."""
