"""Live chat between a customer and an agent: a customer opens a chat, the first agent to reply
takes it, either side closes it."""
