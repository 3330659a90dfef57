"""Alerts: their records and the risk they add up to (`repository`), raising one with its hold
(`staging`, the core the scorer, reports and other features call), and one module per route:
`listing`, `resolution`, `reports`."""
