"""Referral codes, referrals and their payouts (500 points to the referrer, 250 to the referee)."""
