"""Purchases and the analytics aggregates kept up to date on write (summary, daily and monthly
buckets per category, engagement counters), so that reads cost the same at any purchase count."""
