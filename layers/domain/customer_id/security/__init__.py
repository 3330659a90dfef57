"""Security and fraud, a base feature: the security event log, fraud scoring with alerts and
redemption holds, customer reports, and TOTP two-factor authentication. It imports only the kernel
and the base features before it (profile, and loyalty's account record for the hold).

A handler loads only its route's part: `profile` (the risk, 2FA and hold at a glance, from the
`SECURITY` record of `models`/`repository`), `two_factor`, `alerts` (the alert records, `staging`:
raising an alert with its risk and hold, the core the scorer and other features call; one module per
route), `events` (the event log, one module per route), `fraud` (the scorer's rules and records).
The API schemas are one module per route under `schemas`."""
