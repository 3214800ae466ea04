"""Compliance: views."""

# --- declarations, scan, flags (issue 6) ---


# --- customs dashboard (issue 7) ---
