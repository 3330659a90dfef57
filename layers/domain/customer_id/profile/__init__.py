"""Customer profile: identity data, language and timezone. The first write opens the loyalty account."""
