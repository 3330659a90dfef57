"""Customer profile, a base feature: identity data, language and timezone; the lookup every
`/customers/{id}/…` route starts with (`require_profile`) and the customer's calendar
(`local_date`). It imports only the kernel. What the first PUT opens in other features (the
loyalty account, the segment, the anniversary) is the onboarding workflow's
(`customer_id.workflows.onboarding`)."""
