"""The notifications API schemas, one module per route group; here the channel and category names
the inbox, the preferences and the dispatcher share."""

from __future__ import annotations

from typing import Literal

Channel = Literal["email", "sms", "push", "inApp"]
Category = Literal["loyalty", "offers", "rewards", "security", "support", "marketing"]
OutboundChannel = Literal["email", "sms"]  # the channels that leave through a provider
