"""Hourly schedule: plan the special-date rewards of the hours that have ended since the last run
(one unit per hour and celebration-index shard, queued on the rewards-issuance queue; see
`customer_id.jobs`). Each unit rewards the celebrants of the time zones whose day began in its hour."""

from customer_id import entry, jobs
from customer_id.rewards import issuance

lambda_handler = entry.schedule(jobs.planner(issuance.ISSUANCE), "special-date rewards planned")
