"""Personalized offers: admins publish time-boxed discounts targeted by segment, tier and newness;
customers list the ones they may use, best value first, and apply them to orders within the
offer's per-customer and total limits."""
