"""Customer ID service domain package, shipped to every function as the `domain` layer.

Its tiers, imports only going down (the README's "Layout" says the same with examples):

1. the kernel, the root modules: storage (`db`: base model, `customer_key`, `page`, `UnitOfWork`,
   `retry`), errors, settings, clock, i18n, cursors, auth, queues, observability, and the edge the
   handlers meet (`http`, `request`, `entry`);
2. base features: `profile`, `loyalty`, `analytics`, `security`, each importing only the kernel
   and the base features before it in that order;
3. features: `segments`, `offers`, `referrals`, `rewards`, `notifications`, `support` (with its
   tickets): the kernel and base features, never each other;
4. `workflows`: one module per operation that changes several features in one step.

Every multi-item write is one `db.UnitOfWork`: each feature's repository adds its writes, each
conditional write names the error its failure means, and the commit raises it.
"""
