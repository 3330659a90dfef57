"""Referral codes, referrals and their payouts (500 points to the referrer, 250 to the referee), a
feature: it imports only the kernel and the base features (profile, loyalty, analytics, security);
the purchases workflow qualifies referrals through `service.on_purchase`."""
