"""Signals portal sends: for the apps above it, which portal does not import (ADR 0007), and
from the registry to the wings above it, which the registry does not import either.

Receivers are connected in ``portal/signal_handlers.py`` and the apps' ``ready()``.
"""

from django.dispatch import Signal

# --- The registry --------------------------------------------------------------------------
# Sent in the transaction that saved an organisation with ``publishes`` on, with
# ``organization``: content gives it its section of the site (made once).
organization_publishes = Signal()
# Sent in the transaction that granted or revoked a role, with ``user``: content puts the user
# in (or takes them out of) the section groups their editor and reviewer roles call for.
roles_changed = Signal()

# Sent at the end of the demo build, inside its transaction, with ``county`` (the demo's
# root Organization) and ``member`` (the demo member): apps add their own demo data.
demo_built = Signal()

# --- Red packages ---------------------------------------------------------------------
# Sent once a member's confirmation of receipt is committed, with ``request_id``,
# ``member_id`` and ``package_id``: learning assigns the package's reading tracks.
red_package_received = Signal()

# --- Meetings (三会一课) --------------------------------------------------------------------
# Sent once a meeting's close or correction is committed, with ``meeting_id``: learning
# credits the offline sessions of a linked track to the members present (once, by its ledger).
meeting_recorded = Signal()
