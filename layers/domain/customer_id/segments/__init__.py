"""RFM segmentation: scores 1-5 over the last 12 months, mapped to ten named segments, with
per-segment counters maintained on write."""
