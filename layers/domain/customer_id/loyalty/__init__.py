"""Loyalty: tiers, the points ledger with expiring lots, the catalog and redemptions."""
