"""Protocols are data: YAML files in protocols/, validated, then copied into meetings."""
from plc.protocols.loader import (  # noqa: F401
    ACTIVITIES,
    ANTICIPATION_QUESTIONS,
    BOARD_MODES,
    Protocol,
    ProtocolError,
    RESPONSE_ACTIVITIES,
    flatten_agenda,
    load_protocols,
)
from plc.protocols.registry import available_protocols  # noqa: F401
