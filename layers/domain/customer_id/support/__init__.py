"""Customer support, one part a package, each importing only what it needs: `categories` (the
categories, and the small core every part calls: `require_category`, the retry of a unit of work),
`faq` (the FAQ in Arabic and English, with one vote per customer per item, and its `search`),
`chat` (live chat between a customer and an agent) and `tickets`. They share one table
(`models`)."""
