"""Customer support: categories and the FAQ in Arabic and English (with its search and one vote per
customer per item), and live chat between a customer and an agent."""
