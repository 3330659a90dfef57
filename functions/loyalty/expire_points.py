"""Daily schedule: plan the points expiry of the UTC days that have ended since the last run (one
unit per day and shard, queued on the points-expiry queue; see `customer_id.jobs`)."""

from customer_id import entry, jobs
from customer_id.loyalty import expiry

lambda_handler = entry.schedule(jobs.planner(expiry.EXPIRY), "points expiry planned")
