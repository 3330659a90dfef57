"""Special-date rewards: birthdays and joining anniversaries, issued daily, claimed for points."""
