"""Workflows: the operations that span features, one module each, at the top of the layer.

The layer has four tiers; each imports only the tiers below it (and, among base features, those
before it), never one above or beside it:

1. the kernel: the root modules of `customer_id` (db, errors, settings, clock, ...);
2. base features: `profile`, `loyalty`, `analytics`, `security`;
3. features: `segments`, `offers`, `referrals`, `rewards`, `notifications`, `support`;
4. workflows: `onboarding` (the first profile PUT), `purchases` (the purchase hub), `returns`, ...

A rule that moves more than one feature's records lives here: it reads what it needs, asks each
feature to add its writes to one `db.UnitOfWork` (through `db.retry` when it decides from what it
read), and runs what follows the commit. A new cross-feature rule is a new module here.
"""
