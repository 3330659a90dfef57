"""The capacity model's assumptions, in one place: the request mix of a sale hour, the modeled
DynamoDB latency behind Lambda's billed time, and the prices (`bench/capacity.py` runs the model,
`bench/capacity_report.py` writes its figures)."""

# what the peak window's requests are, as shares of the total (reads dominate a sale hour)
MIX = {
    "purchase": 0.30,  # POST /customers/{id}/purchases, by the order service
    "signup": 0.03,  # PUT /customers/{id}/profile, a new customer
    "redemption": 0.02,  # POST /customers/{id}/loyalty/redemptions
    "offer": 0.05,  # POST /customers/{id}/offers/{offerId}/applications (half on a limited offer)
    "security-event": 0.05,  # POST /customers/{id}/security/events, by the auth service
    "account": 0.15,  # GET /customers/{id}/loyalty
    "dashboard": 0.10,  # GET /customers/{id}/analytics/summary
    "offers": 0.15,  # GET /customers/{id}/offers
    "notifications": 0.10,  # GET /customers/{id}/notifications
    "profile": 0.05,  # GET /customers/{id}/profile
}

# modeled AWS latency of one DynamoDB call, for Lambda's billed duration
DYNAMODB_LATENCY_MS = {"TransactWriteItems": 15.0, "TransactGetItems": 10.0, "default": 5.0}

# us-east-1 list prices, USD (aws.amazon.com/lambda/pricing, /api-gateway/pricing,
# /dynamodb/pricing/on-demand, /sqs/pricing), read 2025-06: Lambda arm64, API Gateway REST first
# 333M, DynamoDB on-demand (after the November 2024 reduction), SQS standard first 100B
PRICES = {
    "lambda_gb_second": 0.0000133334,
    "lambda_request": 0.20 / 1e6,
    "api_gateway_request": 3.50 / 1e6,
    "dynamodb_write_unit": 0.625 / 1e6,
    "dynamodb_read_unit": 0.125 / 1e6,
    "sqs_request": 0.40 / 1e6,
}
