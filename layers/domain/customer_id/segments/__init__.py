"""RFM segmentation: scores 1-5 over the last 12 months (the rules and inputs are analytics'),
mapped to ten named segments, with per-segment counters maintained on write. A feature: it imports
the kernel and the base features only; purchases and new profiles move the assignment through
`assign_in(work, ...)` / `open_in(work, ...)` in their workflow's unit of work."""
