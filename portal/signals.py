"""Signals portal sends for the apps above it, which portal does not import (ADR 0007)."""

from django.dispatch import Signal

# Sent at the end of the demo build, inside its transaction, with ``county`` (the demo's
# root Organization) and ``member`` (the demo member): apps add their own demo data.
demo_built = Signal()

# --- Red packages ---------------------------------------------------------------------
# Sent once a member's confirmation of receipt is committed, with ``request_id``,
# ``member_id`` and ``package_id``: learning assigns the package's reading tracks.
red_package_received = Signal()
