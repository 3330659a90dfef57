"""Security and fraud, a base feature: the security event log, fraud scoring with alerts and
redemption holds, customer reports, and TOTP two-factor authentication. It imports only the kernel
and the base features before it (profile, loyalty)."""
