// Who joined: a list on the control page, name chips on the projector. The projector's chips
// fill the room they have; the names that do not fit are counted on a last "+N more" chip,
// never cut off unseen.

import { el } from "../lib/dom.js";

export function renderPeople(room) {
  const { participants } = room.state;
  const count = `${participants.length} joined`;
  room.setText("people-count", String(participants.length));
  room.setText("people-badge", count);
  const list = room.bound("people");
  if (!list) return;
  list.replaceChildren(...participants.map((p) =>
    el("li", { title: p.role }, el("span", { class: "person-name", dir: "auto" }, p.name),
      room.view === "projector" ? null : el("span", { class: "person-role" }, p.role))));
  if (!participants.length) list.append(el("li", { class: "empty" }, "Nobody yet: scan the QR code or type the code."));
  if (room.view === "projector") fitChips(list);
}

const overflows = (list, item) => item.getBoundingClientRect().bottom > list.getBoundingClientRect().bottom + 0.5;

// Hides the chips that do not fit in the list's box, last first, behind a "+N more" chip.
export function fitChips(list) {
  list.querySelector(".people-more")?.remove();
  const chips = [...list.children];
  for (const chip of chips) chip.classList.remove("hidden");
  if (!list.getClientRects().length || !chips.length || !overflows(list, chips.at(-1))) return;
  const more = el("li", { class: "people-more" });
  list.append(more);
  let shown = chips.length;
  do {
    chips[--shown].classList.add("hidden");
    more.textContent = `+${chips.length - shown} more`;
  } while (shown > 0 && overflows(list, more));
}
