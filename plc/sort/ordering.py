"""The order of cards in a column: positions with gaps between neighbours, so that a move
normally writes the moved card's row only. Pure functions over positions."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

# Cards never moved sit at the end of the tray in upload order: a new placement starts there too.
UNPLACED = 10**9
# Room left between neighbouring cards' positions, so that a move writes one row.
POSITION_GAP = 1024


def position_of(placed: Mapping, sample_id: int) -> int:
    """The card's position; `placed` maps sample ids to placements (a card without one is unplaced)."""
    placement = placed.get(sample_id)
    return placement.position if placement is not None else UNPLACED


def in_board_order(sample_ids: Iterable[int], placed: Mapping) -> list[int]:
    """The cards by position; cards at the same position (the unplaced ones) in upload order."""
    return sorted(sample_ids, key=lambda sid: (position_of(placed, sid), sid))


def position_between(before: int | None, after: int | None) -> int | None:
    """A position strictly between two neighbours' (None: no neighbour that side), or None
    when there is no room left and the column must be renumbered."""
    if before is None and after is None:
        return 0
    if before is None:
        position = after - POSITION_GAP
    elif after is None:
        position = before + POSITION_GAP
    else:
        position = (before + after) // 2
        if position <= before:
            return None
    return position if -UNPLACED < position < UNPLACED else None


def position_at(column: list[int], index: int, placed: Mapping) -> int | None:
    """A position for a card put at `index` of `column` (the card itself not in it), or None
    when the column must be renumbered."""
    return position_between(
        position_of(placed, column[index - 1]) if index > 0 else None,
        position_of(placed, column[index]) if index < len(column) else None,
    )


def spread(count: int) -> list[int]:
    """Positions for a renumbered column of `count` cards, with a full gap between each."""
    return [n * POSITION_GAP for n in range(count)]
