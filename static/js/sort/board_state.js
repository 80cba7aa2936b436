// What the board knows - the sort as the server last sent it, and the task's samples - and
// the questions every part of the board asks about it.
import { serverConstants } from "../lib/server_constants.js";

const { still_modes: STILL_MODES } = serverConstants.sort; // modes in which cards stay put

export class BoardState {
  constructor({ view, canControl }) {
    this.view = view;
    this.canControl = canControl;
    this.sort = null;
    this.samples = [];
    // A card picked up with the keyboard: drawn where it is being carried ({ sampleId, groupId,
    // index }), and sent to the server only when it is dropped.
    this.lifted = null;
  }

  sampleById(id) { return this.samples.find((s) => s.id === id); }

  labelOf(id) { return this.sampleById(id)?.label ?? `card ${id}`; }

  groupName(groupId) {
    return groupId == null ? "Unsorted" : this.sort.groups.find((g) => g.id === groupId)?.name ?? "a group";
  }

  canMove() {
    const { sort } = this;
    return sort && sort.open && !STILL_MODES.includes(sort.mode) && (!sort.locked || this.canControl);
  }

  canEdit() {
    const { sort } = this;
    return sort && sort.open && (!sort.locked || this.canControl);
  }

  columns() {
    // Samples that arrived after the board was sent go at the end of the tray, as on the server.
    const shown = new Set(this.sort.columns.flatMap((c) => c.sample_ids));
    const extra = this.samples.filter((s) => s.status !== "failed" && !shown.has(s.id)).map((s) => s.id);
    const columns = this.sort.columns.map((c) => ({ ...c, sample_ids: c.group_id == null ? [...c.sample_ids, ...extra] : c.sample_ids }));
    const { lifted } = this;
    if (!lifted) return columns;
    return columns.map((c) => {
      const ids = c.sample_ids.filter((id) => id !== lifted.sampleId);
      if (c.group_id === lifted.groupId) ids.splice(Math.min(lifted.index, ids.length), 0, lifted.sampleId);
      return { ...c, sample_ids: ids };
    });
  }

  // Where a card is: its column's group (null: the tray), its place in it and the column's size.
  columnOf(sampleId) {
    for (const column of this.columns()) {
      const index = column.sample_ids.indexOf(sampleId);
      if (index >= 0) return { group_id: column.group_id, index, size: column.sample_ids.length };
    }
    return null;
  }

  // Takes a whole sort unless it is older than the one shown; says whether it did.
  setSort(next) {
    if (next && this.sort && this.sort.id === next.id && next.revision < this.sort.revision) return false;
    this.sort = next;
    if (this.lifted && !(this.canMove() && this.columnOf(this.lifted.sampleId))) this.lifted = null;
    return true;
  }

  // Applies a `sort:moved` delta. "applied"; "stale" when already seen (or no sort is shown);
  // "missed" when a change in between never arrived: then only the whole sort will do.
  applyMove(moved) {
    const { sort } = this;
    if (!sort) return "stale";
    if (moved.sort_id !== sort.id) return "missed";
    if (moved.revision <= sort.revision) return "stale";
    if (moved.revision !== sort.revision + 1) return "missed";
    sort.revision = moved.revision;
    for (const column of moved.columns) {
      const target = sort.columns.find((c) => c.group_id === column.group_id);
      if (target) target.sample_ids = column.sample_ids;
    }
    sort.cards[moved.sample_id] = { version: moved.version, moved_by: moved.moved_by };
    sort.patterns = moved.patterns;
    sort.can_undo = moved.can_undo;
    return "applied";
  }
}
