"""Security and fraud: the security event log, fraud scoring with alerts and redemption holds,
customer reports, and TOTP two-factor authentication."""
