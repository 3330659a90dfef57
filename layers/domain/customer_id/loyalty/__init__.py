"""Loyalty, a base feature: tiers, the points ledger with expiring lots, the catalog and
redemptions. It imports only the kernel. Workflows that move points together with their
own writes plan the change (`service.plan_earn`, `service.plan_bonus`), stage it into their
`db.UnitOfWork` (`service.stage`) and commit through `db.retry(..., retry_on=(StaleAccount,))`."""
