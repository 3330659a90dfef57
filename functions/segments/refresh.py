"""Daily schedule: plan the segment refresh of the UTC days that have ended since the last run (one
unit per day and review-index shard, queued on the segment-refresh queue; see `customer_id.jobs`)."""

from customer_id import entry, jobs
from customer_id.segments import service

lambda_handler = entry.schedule(jobs.planner(service.REFRESH), "segment refresh planned")
