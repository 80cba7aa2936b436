"""What a meeting tells the features above it, which subscribe (they import meetings, never the reverse)."""
from blinker import Namespace

_signals = Namespace()

# Sent with the meeting just before the live room shows its current step: to whoever connects,
# and to everyone after the facilitator moves to a step. A feature opens what its steps need
# here (the Work Sort opens the task's sort), so that building the room's state only reads.
showing_step = _signals.signal("showing-step")

# Sent with the meeting and the question (`field`, a Response.field) after an answer to one of
# several questions (the anticipation questions) is added, changed or withdrawn: the Work Sort
# carries the anticipations onto the task's open board.
answers_changed = _signals.signal("answers-changed")
