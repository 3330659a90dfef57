"""GET /segments/{segmentId}/stats (admins): maintained counters, no per-customer reads."""

from customer_id.auth import Access
from customer_id.http import build_resolver, entrypoint
from customer_id.segments import stats
from customer_id.segments.schemas.stats import SegmentStatsOutput

app = build_resolver()


@app.get("/segments/<segmentId>/stats")
def get_stats(segmentId: str) -> SegmentStatsOutput:
    return stats.stats(segmentId)


lambda_handler = entrypoint(app, Access.ADMINS)
