// The Work Sort board: an "Unsorted" tray and one column per group named by the thinking it
// shows. Cards move three ways - drag (SortableJS), the "Move to…" menu, and the keyboard -
// and every way sends the same `sort:move`. The board only ever shows what the server
// broadcast: a move is drawn when its `sort:moved` arrives, and a refused move snaps back.

import Sortable from "/static/vendor/sortable.esm.js";
import { el, openViewer } from "./work.js";

const NOTES = [
  ["showing", "What are they showing us?"],
  ["telling", "What are they telling us?"],
  ["build_on", "Understandings to build on"],
  ["issues", "Issues we see"],
];
const KIND_LABEL = { anticipated: "Anticipated", unanticipated: "Not anticipated", added: "" };
const STILL_MODES = ["look", "close"];
const MODE_HINT = {
  look: "Look at the work in silence. Cards can be moved in the next step.",
  sort: "Drag a card, use its “Move to…” menu, or focus it and use the arrow keys.",
  sortByTouch: "Hold a card and drag it, or use its “Move to…” menu.",
  describe: "Describe each group. Link a group to the team's vocabulary to keep its name the same across sorts.",
  patterns: "Counts per group, and the strategies we anticipated that nobody used.",
  plan: "For each group: the next instructional move, for whom, who does it and by when.",
  sequence: "Choose the samples to share in class and put them in order.",
  close: "The board as it stands. Closing saves it for the coach's review.",
};
const EXCERPT_CHARS = 70;

export function createBoard({ root, view, canControl, send, say }) {
  let sort = null;
  let samples = [];
  let dragging = false;
  let pendingRender = false;
  let focusId = null; // the card that keeps keyboard focus across re-renders
  let flashId = null; // a card whose move was lost: show where it went
  // What a person has open survives redraws caused by others' changes:
  let tierAsk = null; // a tier-like name waiting for an answer: {event, payload, message, examples, field}
  let editing = null; // a group being renamed or defined: {groupId, kind: "rename" | "define"}
  const openForms = new Set(); // groups whose "Add a next step" form is open
  const sortables = [];

  const box = root.querySelector('[data-bind="board"]');
  const announcer = el("p", { class: "visually-hidden", "aria-live": "polite", "data-bind": "board-announce" });
  document.body.append(announcer, el("p", { id: "board-keys", class: "visually-hidden" },
    "Arrow keys move this card: left and right to the previous or next group, up and down within its group. Enter opens it."));
  const announce = (text) => { announcer.textContent = ""; setTimeout(() => { announcer.textContent = text; }, 30); };

  // --- what the server says ---------------------------------------------------------

  function setSort(next, nextSamples) {
    if (nextSamples) samples = nextSamples;
    if (!next) { sort = null; draw(); return; }
    if (sort && sort.id === next.id && next.revision < sort.revision) return;
    sort = next;
    draw();
  }

  function setSamples(nextSamples) {
    samples = nextSamples || [];
    if (sort) draw();
  }

  function applyMove(moved) {
    if (!sort) return;
    if (moved.sort_id !== sort.id) { resync(); return; }
    if (moved.revision <= sort.revision) return;
    if (moved.revision !== sort.revision + 1) { resync(); return; }
    sort.revision = moved.revision;
    for (const column of moved.columns) {
      const target = sort.columns.find((c) => c.group_id === column.group_id);
      if (target) target.sample_ids = column.sample_ids;
    }
    sort.cards[moved.sample_id] = { version: moved.version, moved_by: moved.moved_by };
    sort.patterns = moved.patterns;
    sort.can_undo = moved.can_undo;
    draw();
    const where = columnOf(moved.sample_id);
    if (focusId === moved.sample_id && where) {
      announce(`${labelOf(moved.sample_id)} is in ${groupName(where.group_id)}, ${where.index + 1} of ${where.size}.`);
    }
  }

  async function resync() {
    const ack = await send("sort:sync");
    if (ack && ack.sort) { sort = ack.sort; draw(); }
  }

  // --- helpers -------------------------------------------------------------------------

  const sampleById = (id) => samples.find((s) => s.id === id);
  const labelOf = (id) => sampleById(id)?.label ?? `card ${id}`;
  const groupName = (groupId) => (groupId == null ? "Unsorted" : sort.groups.find((g) => g.id === groupId)?.name ?? "a group");
  const canMove = () => sort && sort.open && !STILL_MODES.includes(sort.mode) && (!sort.locked || canControl);
  const canEdit = () => sort && sort.open && (!sort.locked || canControl);

  function boardColumns() {
    // Samples that arrived after the board was sent go at the end of the tray, as on the server.
    const shown = new Set(sort.columns.flatMap((c) => c.sample_ids));
    const extra = samples.filter((s) => s.status !== "failed" && !shown.has(s.id)).map((s) => s.id);
    return sort.columns.map((c) => ({ ...c, sample_ids: c.group_id == null ? [...c.sample_ids, ...extra] : c.sample_ids }));
  }

  function columnOf(sampleId) {
    for (const column of boardColumns()) {
      const index = column.sample_ids.indexOf(sampleId);
      if (index >= 0) return { group_id: column.group_id, index, size: column.sample_ids.length };
    }
    return null;
  }

  async function move(sampleId, groupId, index) {
    focusId = document.activeElement?.closest?.("[data-card]") ? sampleId : focusId;
    const version = sort.cards[sampleId]?.version ?? 0;
    const ack = await send("sort:move", { sample_id: sampleId, group_id: groupId, index, card_version: version }, { quiet: true });
    if (!ack) return;
    if (!ack.ok) {
      say(ack.error, "error");
      if (ack.conflict) { flashId = sampleId; announce(ack.error); }
      draw(); // put the card back where the server has it
    } else {
      say("");
    }
  }

  // --- drawing -------------------------------------------------------------------------

  function draw() {
    if (dragging) { pendingRender = true; return; }
    for (const s of sortables.splice(0)) s.destroy();
    box.classList.toggle("hidden", !sort);
    if (!sort) { box.replaceChildren(); return; }
    const keep = keepFocus();
    const drafts = Object.fromEntries([...box.querySelectorAll("[data-draft]")].map((f) => [f.dataset.field, f.value]));
    box.dataset.mode = sort.mode;
    const columns = boardColumns();
    box.replaceChildren(...[
      toolbar(),
      sort.mode === "patterns" ? patternsPanel() : null,
      sort.mode === "sequence" || (sort.share.length && view === "projector") ? sharePanel() : null,
      columnsBox(columns),
    ].filter(Boolean));
    for (const [field, value] of Object.entries(drafts)) {
      const node = box.querySelector(`[data-field="${field}"]`);
      if (node) node.value = value;
    }
    restoreFocus(keep);
    if (flashId != null) {
      const card = box.querySelector(`[data-card="${flashId}"]`);
      card?.classList.add("was-lost");
      setTimeout(() => card?.classList.remove("was-lost"), 2500);
      flashId = null;
    }
  }

  function columnsBox(columns) {
    const node = el("div", { class: `board-columns${view === "phone" ? " is-compact" : ""}${sort.mode === "plan" ? " is-planning" : ""}` },
      ...columns.map((column) => columnSection(column)));
    node.style.setProperty("--columns", String(Math.min(columns.length, 8))); // the projector: every group in one row
    return node;
  }

  function keepFocus() {
    const active = document.activeElement;
    if (!active || !box.contains(active)) return null;
    if (active.dataset.card) return { card: Number(active.dataset.card) };
    if (active.dataset.field) return { field: active.dataset.field, value: active.value, start: active.selectionStart };
    return null;
  }

  function restoreFocus(keep) {
    if (focusId != null && (!keep || keep.card != null)) {
      box.querySelector(`[data-card="${focusId}"]`)?.focus({ preventScroll: true });
      return;
    }
    if (keep?.field) {
      const field = box.querySelector(`[data-field="${keep.field}"]`);
      if (field) { field.value = keep.value; field.focus({ preventScroll: true }); try { field.setSelectionRange(keep.start, keep.start); } catch { /* not a text field */ } }
    }
  }

  function toolbar() {
    const bar = el("div", { class: "board-toolbar" },
      el("p", { class: "board-hint" }, sort.open ? MODE_HINT[sort.mode === "sort" && view === "phone" ? "sortByTouch" : sort.mode] : `Closed and saved${sort.closed_by ? ` by ${sort.closed_by}` : ""} (version ${sort.version}).`),
      sort.locked && sort.open ? el("span", { class: "badge" }, "Only the facilitator moves cards") : null);
    const actions = el("div", { class: "row board-actions" });
    if (canMove() && sort.mode === "sort") actions.append(newGroupForm());
    if (canMove() && sort.can_undo) {
      actions.append(el("button", { type: "button", class: "secondary small", onclick: () => send("sort:undo") }, "Undo last move"));
    }
    if (canControl) {
      if (sort.open) {
        actions.append(el("button", { type: "button", class: "secondary small", "aria-pressed": String(sort.locked),
          onclick: () => send("sort:lock", { value: !sort.locked }) }, sort.locked ? "Let everyone move cards" : "Only I move cards"));
        if (sort.mode === "close") {
          actions.append(el("button", { type: "button", onclick: () => {
            if (confirm("Close the sort and save it as it stands? Reopening later starts a new version.")) send("sort:close");
          } }, "Close and save the sort"));
        }
      } else {
        actions.append(el("button", { type: "button", class: "secondary", onclick: () => send("sort:reopen") }, "Reopen as a new version"));
      }
    }
    if (actions.childElementCount) bar.append(actions);
    if (tierAsk) bar.append(tierPrompt());
    return bar;
  }

  // Clear a draft field once what was typed in it has been saved.
  function clearField(field) {
    const node = box.querySelector(`[data-field="${field}"]`);
    if (node) node.value = "";
  }

  function newGroupForm() {
    const input = el("input", { type: "text", maxlength: 60, placeholder: "e.g. Makes a ten", "aria-label": "Name of a new group", "data-field": "new-group", "data-draft": "" });
    const form = el("form", { class: "row nowrap new-group" }, input, el("button", { type: "submit", class: "small" }, "Add group"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const name = input.value.trim();
      if (!name) { say("Name the thinking the group shows.", "error"); input.focus(); return; }
      if (await nameGroup("sort:group:add", { name }, "new-group")) clearField("new-group");
    });
    return form;
  }

  // Group names: a tier-like name gets a friendly prompt; only the facilitator may keep it.
  async function nameGroup(event, payload, field) {
    const ack = await send(event, payload, { quiet: true });
    if (!ack) return false;
    if (ack.ok) { say(""); tierAsk = null; editing = null; draw(); return true; }
    if (!ack.tier_name) { say(ack.error, "error"); return false; }
    tierAsk = { event, payload, field, message: ack.error, examples: ack.tier_name.examples };
    draw();
    say(""); // the prompt says it better than the status line
    return false;
  }

  function tierPrompt() {
    const { event, payload, field, message, examples } = tierAsk;
    const rename = () => { tierAsk = null; draw(); box.querySelector(`[data-field="${field}"]`)?.focus(); };
    return el("div", { class: "tier-prompt", role: "alert" },
      el("p", {}, message),
      el("p", { class: "muted" }, "Names of thinking: ", examples.join(", "), "."),
      el("div", { class: "row" },
        canControl ? el("button", { type: "button", class: "secondary small", onclick: async () => {
          if (await send(event, { ...payload, keep_tier_name: true })) { tierAsk = null; editing = null; clearField(field); draw(); }
        } }, `Keep “${payload.name}” anyway`) : null,
        el("button", { type: "button", class: "link-button", onclick: rename }, "Rename it")));
  }

  function columnSection(column) {
    const group = column.group_id == null ? null : sort.groups.find((g) => g.id === column.group_id);
    const headingId = `col-${column.group_id ?? "unsorted"}`;
    const list = el("ol", { class: "cards", "data-group-id": column.group_id ?? "", "aria-labelledby": headingId },
      ...column.sample_ids.map((id) => card(id, column)));
    if (!column.sample_ids.length) list.append(el("li", { class: "empty drop-hint", "aria-hidden": "true" }, group ? "Drop work here" : "All sorted"));
    if (canMove()) {
      sortables.push(Sortable.create(list, {
        group: "board", animation: 120, delay: 120, delayOnTouchOnly: true, filter: ".drop-hint, select, button",
        preventOnFilter: false, draggable: "[data-card]",
        onStart: () => { dragging = true; },
        onEnd: (event) => {
          dragging = false;
          const sampleId = Number(event.item.dataset.card);
          const to = event.to.dataset.groupId ? Number(event.to.dataset.groupId) : null;
          const from = event.from.dataset.groupId ? Number(event.from.dataset.groupId) : null;
          if (to === from && event.oldDraggableIndex === event.newDraggableIndex) { if (pendingRender) draw(); return; }
          pendingRender = false;
          move(sampleId, to, event.newDraggableIndex);
        },
      }));
    }
    const count = column.sample_ids.length;
    return el("section", { class: `column${group ? ` kind-${group.kind}` : " is-tray"}`, "data-column": column.group_id ?? "unsorted" },
      el("header", { class: "column-head" },
        el("h3", { id: headingId }, group ? group.name : "Unsorted"),
        el("span", { class: "count", "aria-label": `${count} ${count === 1 ? "sample" : "samples"}` }, String(count)),
        group && KIND_LABEL[group.kind] ? el("span", { class: "kind" }, KIND_LABEL[group.kind]) : null,
        group?.tier_name_kept_by ? el("span", { class: "kind is-warning", title: `Kept by ${group.tier_name_kept_by}` }, "Tier-like name kept") : null),
      group?.definition ? el("p", { class: "definition" }, group.definition) : null,
      group && canEdit() && view !== "projector" && ["sort", "describe"].includes(sort.mode) ? groupTools(group, count) : null,
      list,
      group && (sort.mode === "describe" || (view !== "projector" && sort.mode === "patterns")) ? notes(group) : null,
      group && sort.mode === "plan" ? nextSteps(group) : null);
  }

  function card(sampleId, column) {
    const sample = sampleById(sampleId) || { id: sampleId, label: `#${sampleId}`, text: "" };
    const shareRank = sort.share.indexOf(sampleId);
    const excerpt = (sample.text || (sample.status === "done" ? "" : "Reading…")).replace(/\s+/g, " ").replace(/^name\s*:?\s*/i, "").trim();
    const item = el("li", {
      class: `sort-card${canMove() ? " is-movable" : ""}`, "data-card": sampleId, tabindex: "0",
      "aria-label": `${sample.label}${shareRank >= 0 ? `, shared ${shareRank + 1}` : ""}`,
      "aria-describedby": canMove() ? "board-keys" : null,
    },
      sample.thumb_url
        ? el("img", { src: sample.thumb_url, alt: "", loading: "lazy", draggable: "false",
          onclick: () => sample.image_url && openViewer(sample) }) // a tap opens it; a held finger drags
        : el("div", { class: "thumb-placeholder" }, el("span", { class: "spinner" })),
      el("div", { class: "card-body" },
        el("p", { class: "card-label" }, sample.label, shareRank >= 0 ? el("span", { class: "share-rank" }, ` #${shareRank + 1}`) : null),
        el("p", { class: "card-text" }, excerpt.length > EXCERPT_CHARS ? `${excerpt.slice(0, EXCERPT_CHARS)}…` : excerpt),
        sort.cards[sampleId]?.moved_by && view !== "projector" ? el("p", { class: "card-mover" }, `moved by ${sort.cards[sampleId].moved_by}`) : null),
      view === "projector" ? null : el("div", { class: "card-actions" },
        sample.image_url ? el("button", { type: "button", class: "link-button", onclick: () => openViewer(sample) }, "Open") : null,
        canMove() ? moveMenu(sampleId, column) : null,
        canControl && sort.mode === "sequence" && sort.open ? shareToggle(sampleId, shareRank) : null));
    item.addEventListener("keydown", (event) => onCardKey(event, sampleId));
    item.addEventListener("focus", () => { focusId = sampleId; });
    return item;
  }

  function moveMenu(sampleId, column) {
    const menu = el("select", { class: "move-menu", "aria-label": `Move ${labelOf(sampleId)} to…` },
      el("option", { value: "", selected: true }, "Move to…"),
      ...[{ id: null, name: "Unsorted" }, ...sort.groups].filter((g) => g.id !== column.group_id)
        .map((g) => el("option", { value: g.id ?? "unsorted" }, g.name)));
    menu.addEventListener("change", () => {
      if (!menu.value) return;
      const to = menu.value === "unsorted" ? null : Number(menu.value);
      const size = boardColumns().find((c) => c.group_id === to).sample_ids.length;
      focusId = sampleId;
      move(sampleId, to, size);
    });
    return menu;
  }

  function onCardKey(event, sampleId) {
    if (event.target !== event.currentTarget) return;
    if (event.key === "Enter" && sampleById(sampleId)?.image_url) { openViewer(sampleById(sampleId)); return; }
    if (!canMove() || !["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"].includes(event.key)) return;
    event.preventDefault();
    const columns = boardColumns();
    const at = columnOf(sampleId);
    const col = columns.findIndex((c) => c.group_id === at.group_id);
    focusId = sampleId;
    if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      const index = at.index + (event.key === "ArrowUp" ? -1 : 1);
      if (index < 0 || index >= at.size) { announce(`${labelOf(sampleId)} is already ${index < 0 ? "first" : "last"} in ${groupName(at.group_id)}.`); return; }
      move(sampleId, at.group_id, index);
    } else {
      const target = columns[col + (event.key === "ArrowLeft" ? -1 : 1)];
      if (!target) { announce(`No group to the ${event.key === "ArrowLeft" ? "left" : "right"}.`); return; }
      move(sampleId, target.group_id, Math.min(at.index, target.sample_ids.length));
    }
  }

  function groupTools(group, count) {
    if (editing?.groupId === group.id && editing.kind === "rename") return renameForm(group);
    const open = (kind) => () => { editing = { groupId: group.id, kind }; draw(); box.querySelector(`[data-field="${kind}-${group.id}"]`)?.focus(); };
    const remove = el("button", { type: "button", class: "link-button is-danger", onclick: () => {
      if (!count || confirm(`Remove “${group.name}”? Its ${count} ${count === 1 ? "card goes" : "cards go"} back to Unsorted.`)) {
        send("sort:group:remove", { group_id: group.id });
      }
    } }, "Remove");
    return el("div", { class: "row group-tools" },
      el("button", { type: "button", class: "link-button", onclick: open("rename") }, "Rename"), remove,
      sort.mode === "describe" ? vocabularyLink(group, open("define")) : null);
  }

  function renameForm(group) {
    const field = `rename-${group.id}`;
    const input = el("input", { type: "text", maxlength: 60, value: group.name, "aria-label": `New name for ${group.name}`, "data-field": field, "data-draft": "" });
    const form = el("form", { class: "row nowrap" }, input, el("button", { type: "submit", class: "small" }, "Save"),
      el("button", { type: "button", class: "link-button", onclick: () => { editing = null; draw(); } }, "Cancel"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      nameGroup("sort:group:rename", { group_id: group.id, name: input.value.trim() }, field);
    });
    return form;
  }

  function vocabularyLink(group, openDefine) {
    if (group.kind === "unanticipated") return null;
    const options = sort.vocabulary.map((s) => el("option", { value: s.id, selected: s.id === group.strategy_id }, s.name));
    const select = el("select", { "aria-label": `Link ${group.name} to a strategy of the team's vocabulary` },
      el("option", { value: "" }, group.strategy_id ? "Not linked" : "Link to our vocabulary…"), ...options);
    select.addEventListener("change", () => send("sort:group:link", { group_id: group.id, strategy_id: select.value ? Number(select.value) : null }));
    if (group.strategy_id) return select;
    if (editing?.groupId === group.id && editing.kind === "define") {
      const field = `define-${group.id}`;
      const input = el("input", { type: "text", maxlength: 200, placeholder: "One line: what this strategy is", "aria-label": `Definition of ${group.name}`, "data-field": field, "data-draft": "" });
      const form = el("form", { class: "row nowrap" }, input, el("button", { type: "submit", class: "small" }, "Add"));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        if (await send("sort:group:link", { group_id: group.id, definition: input.value })) { editing = null; clearField(field); draw(); }
      });
      return form;
    }
    return el("span", { class: "row" }, sort.vocabulary.length ? select : null,
      el("button", { type: "button", class: "link-button", onclick: openDefine }, "Add to vocabulary"));
  }

  function notes(group) {
    const editable = canEdit() && sort.mode === "describe";
    return el("div", { class: "group-notes" }, ...NOTES.map(([field, label]) => {
      const id = `note-${group.id}-${field}`;
      if (!editable) return group[field] ? el("p", {}, el("strong", {}, `${label} `), group[field]) : null;
      const area = el("textarea", { id, rows: 2, maxlength: 2000, "data-field": id });
      area.value = group[field];
      area.addEventListener("change", () => send("sort:group:notes", { group_id: group.id, [field]: area.value }));
      return el("div", { class: "note-field" }, el("label", { for: id }, label), area);
    }));
  }

  function nextSteps(group) {
    const steps = sort.next_steps.filter((s) => s.group_id === group.id);
    const list = el("ul", { class: "next-steps list" }, ...steps.map((s) => el("li", {},
      el("p", { class: "next-move" }, s.move),
      el("p", { class: "muted" }, `${s.audience_label} · ${s.owner_label}${s.due_on ? ` · by ${s.due_on}` : ""}`),
      s.student_label ? el("p", { class: "muted" }, `${s.student_label}: ${s.student_note || ""}`) : null,
      canEdit() && view !== "projector" ? el("button", { type: "button", class: "link-button is-danger", onclick: () => send("sort:next:remove", { id: s.id }) }, "Remove") : null)));
    if (!steps.length) list.append(el("li", { class: "empty" }, "No next step yet."));
    return el("div", { class: "next-steps-box" }, el("h4", {}, "Next steps"), list,
      canEdit() && view !== "projector"
        ? nextStepDetails(group)
        : null);
  }

  function nextStepDetails(group) {
    const details = el("details", { class: "next-step-add", open: openForms.has(group.id) },
      el("summary", {}, `Add a next step for “${group.name}”`), nextStepForm(group));
    details.addEventListener("toggle", () => { if (details.open) openForms.add(group.id); else openForms.delete(group.id); });
    return details;
  }

  function nextStepForm(group) {
    const id = (name) => `ns-${group.id}-${name}`;
    const field = (name, label, control) => el("div", { class: "field" }, el("label", { for: id(name) }, label), control);
    const choose = (name, options) => el("select", { id: id(name), name, required: true, "data-field": id(name), "data-draft": "" },
      ...Object.entries(options).map(([value, label]) => el("option", { value }, label)));
    const form = el("form", { class: "next-step-form" },
      field("move", "Instructional move", el("textarea", { id: id("move"), name: "move", rows: 2, maxlength: 1000, required: true, "data-field": id("move"), "data-draft": "" })),
      el("div", { class: "row" },
        field("audience", "For", choose("audience", sort.audiences)),
        field("owner_role", "Who does it", choose("owner_role", sort.owner_roles)),
        field("due_on", "By when", el("input", { id: id("due_on"), name: "due_on", type: "date", "data-field": id("due_on"), "data-draft": "" }))),
      el("details", {}, el("summary", {}, "Add a note on one student"),
        el("div", { class: "row" },
          field("student_label", "Student code", el("input", { id: id("student_label"), name: "student_label", maxlength: 12, "data-field": id("student_label"), "data-draft": "" })),
          field("student_note", "Note", el("input", { id: id("student_note"), name: "student_note", maxlength: 300, "data-field": id("student_note"), "data-draft": "" })))),
      el("button", { type: "submit", class: "small" }, "Add next step"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = Object.fromEntries(new FormData(form));
      const payload = { group_id: group.id, move: data.move.trim(), audience: data.audience, owner_role: data.owner_role,
        due_on: data.due_on || null, student_label: data.student_label || null, student_note: data.student_note || null };
      if (!payload.move) { say("Describe the instructional move.", "error"); return; }
      if (await send("sort:next:add", payload)) {
        for (const name of ["move", "due_on", "student_label", "student_note"]) clearField(id(name));
      }
    });
    return form;
  }

  function patternsPanel() {
    const p = sort.patterns;
    const most = Math.max(1, ...p.counts.map((c) => c.count));
    return el("section", { class: "patterns", "aria-label": "Patterns" },
      el("table", { class: "pattern-table" },
        el("caption", {}, "Samples per group"),
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Group"), el("th", { scope: "col" }, "Samples"))),
        el("tbody", {}, ...p.counts.map((c) => el("tr", {},
          el("th", { scope: "row" }, c.name),
          el("td", {}, bar(c.count / most), ` ${c.count}`))))),
      el("div", { class: "pattern-lists" },
        el("div", {}, el("h4", {}, "Anticipated, but nobody used"),
          p.nobody_used.length ? el("ul", {}, ...p.nobody_used.map((n) => el("li", {}, n))) : el("p", { class: "empty" }, "Every anticipated strategy showed up.")),
        el("div", {}, el("h4", {}, "Showed up unanticipated"),
          p.unanticipated.length || p.in_unanticipated
            ? el("ul", {}, ...p.unanticipated.map((n) => el("li", {}, n)),
              p.in_unanticipated ? el("li", {}, `${p.in_unanticipated} in “Unanticipated”, not yet named`) : null)
            : el("p", { class: "empty" }, "Nothing we did not anticipate.")),
        p.unsorted ? el("p", { class: "muted" }, `${p.unsorted} still unsorted.`) : null));
  }

  function bar(fraction) {
    const node = el("span", { class: "bar", "aria-hidden": "true" });
    node.style.width = `${Math.round(fraction * 100)}%`; // set through the DOM: the CSP forbids style attributes
    return node;
  }

  function sharePanel() {
    const items = sort.share.map((id, rank) => el("li", {},
      el("span", { class: "share-label" }, `${rank + 1}. ${labelOf(id)}`),
      el("span", { class: "muted" }, ` · ${groupName(columnOf(id)?.group_id ?? null)}`),
      canControl && sort.open && sort.mode === "sequence" ? el("span", { class: "row" },
        el("button", { type: "button", class: "secondary small", disabled: rank === 0, "aria-label": `Move ${labelOf(id)} earlier`, onclick: () => reorderShare(rank, -1) }, "↑"),
        el("button", { type: "button", class: "secondary small", disabled: rank === sort.share.length - 1, "aria-label": `Move ${labelOf(id)} later`, onclick: () => reorderShare(rank, 1) }, "↓")) : null));
    return el("section", { class: "share-sequence", "aria-label": "Share in class, in this order" },
      el("h3", {}, "Share in class, in this order"),
      items.length ? el("ol", { class: "share-list" }, ...items) : el("p", { class: "empty" }, canControl ? "Use “Share” on a card to add it." : "The facilitator picks the samples to share."));
  }

  function reorderShare(rank, delta) {
    const order = [...sort.share];
    [order[rank], order[rank + delta]] = [order[rank + delta], order[rank]];
    send("sort:share", { sample_ids: order });
  }

  function shareToggle(sampleId, rank) {
    return el("button", { type: "button", class: "secondary small", "aria-pressed": String(rank >= 0), onclick: () => {
      const order = rank >= 0 ? sort.share.filter((id) => id !== sampleId) : [...sort.share, sampleId];
      send("sort:share", { sample_ids: order });
    } }, rank >= 0 ? "Don't share" : "Share");
  }

  return { setSort, setSamples, applyMove };
}
