"""Fraud scoring (`scoring`, the rules) and the records only its rules keep (`models`, `repository`):
devices, the last login, sliding windows and latches."""
