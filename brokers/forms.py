"""Brokers: forms."""

# --- register (issue 3) ---


# --- customs actions on brokers and agents (issue 7) ---
