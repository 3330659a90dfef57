"""How a customer's name is shown to the other side of a referral."""

from __future__ import annotations


def short_name(display_name: str) -> str:
    """`Layla Hassan` -> `Layla H.`: the first name and the initial of the last."""
    parts = display_name.split()
    if len(parts) < 2:
        return parts[0] if parts else ""
    return f"{parts[0]} {parts[-1][0]}."
