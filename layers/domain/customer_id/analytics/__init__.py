"""Purchases and the analytics aggregates kept up to date on write (summary, daily and monthly
buckets per category, engagement counters), so that reads cost the same at any purchase count;
and the RFM rules and inputs segmentation is computed from. A base feature: it imports only the
kernel and `profile`. Recording a purchase spans features (points, segment, referral): that is
the purchases workflow's (`customer_id.workflows.purchases`), which adds the analytics writes to
its unit of work through `repository.record_purchase(work, ...)`.

Other features read facts (`facts`: the RFM inputs, the current segment, the average order) and
count engagement (`engagement`); neither builds an API schema. Each route has its own service
module (`summary`, `spending`, `engagement_score`, `purchases`) and schemas module (`schemas/`,
with `recording` and `returns` for the two writes), so that a handler builds only the models its
route answers with."""
