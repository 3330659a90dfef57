"""Special-date rewards, a feature: birthdays and joining anniversaries, issued daily, claimed for
points. It imports only the kernel and the base features (profile, loyalty, analytics); the
onboarding workflow indexes a new customer's anniversary through `service.open_in`."""
