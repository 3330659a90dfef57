"""Support tickets: customers open them in a support category; agents move them through the status
machine of API.md, with service-level deadlines by priority, comments and agent-only internal notes.
Part of the support feature: tickets live in the support table and use its categories."""
