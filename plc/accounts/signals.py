"""What the accounts feature tells the rest of the app."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the user's id once every session of theirs has stopped working (a logout): what
# still holds one of those sessions open, such as a live connection, must end now.
sessions_ended = _signals.signal("sessions-ended")
