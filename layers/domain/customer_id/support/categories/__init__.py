"""Support categories, and the small core every part of support calls: `require_category` (a
category an input names must exist) and the retry of a unit of work (`service`)."""
