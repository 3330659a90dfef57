"""The security event log: its records (`repository`, with the device and IP overlap check that the
scorer and referrals use) and one module per route: `recording`, `listing`."""
