"""The FAQ in Arabic and English: its items by category, one vote per customer per item, and its
search (`search`)."""
