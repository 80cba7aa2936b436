// The projector as the room sees it. On the opening steps the join code, the QR code and who
// joined take a column; after them a small badge in the corner says how to join, and J (or a
// click on the badge) brings the column back for latecomers, until J again or the next step. C hides the facilitator's bar for
// a presentation and shows it again; [ and ] turn the step's pages. Once the meeting has ended
// the code and the QR code leave the page. Step keys (arrows, page keys, Space) are not here:
// they drive the meeting (controls.js).

import { createPager } from "./pager.js";
import { fitChips } from "./people.js";

const OPENING_STEPS = 2; // people join during the first steps: the join column stays up through them
const PRESENTING = "plc:projector:presenting"; // remembered across reloads, on this computer

export function createProjector(room) {
  const { root, canControl } = room;
  const pager = createPager(root);
  let joinAsked = false; // the join column brought back, until the step changes
  let presenting = canControl && localStorage.getItem(PRESENTING) === "true";

  function layout() {
    const { state } = room;
    const ended = Boolean(state?.meeting.ended);
    const opening = !state || state.step.pos < OPENING_STEPS;
    if (ended) root.querySelectorAll(".room-side, .join-badge").forEach((node) => node.remove());
    root.classList.toggle("is-ended", ended);
    root.classList.toggle("is-opening", opening);
    root.classList.toggle("is-joining", opening || joinAsked);
    root.classList.toggle("is-presenting", presenting);
    root.querySelector("[data-join]")?.setAttribute("aria-expanded", String(opening || joinAsked));
  }

  function toggleJoin(show = !joinAsked) {
    joinAsked = show;
    layout();
  }

  function togglePresenting() {
    presenting = !presenting;
    localStorage.setItem(PRESENTING, String(presenting));
    layout();
    // The button that was pressed may have just been hidden: its twin takes the focus.
    const active = document.activeElement;
    if (active?.matches("[data-presenting]") && !active.getClientRects().length) {
      root.querySelector(presenting ? ".controls-show" : ".controls [data-presenting]")?.focus();
    }
  }

  // Not Escape, b or the period: presentation clickers send them (step_keys.js swallows them).
  const keys = {
    "[": () => pager.turn(-1),
    "]": () => pager.turn(1),
    j: () => toggleJoin(),
    J: () => toggleJoin(),
    ...(canControl ? { c: togglePresenting, C: togglePresenting } : {}),
  };
  document.addEventListener("keydown", (event) => {
    const key = keys[event.key];
    if (!key || event.defaultPrevented || event.metaKey || (event.ctrlKey && !event.altKey)) return;
    if (event.target.closest?.("input, textarea, select, [contenteditable], dialog")) return;
    event.preventDefault();
    key();
  });
  root.addEventListener("click", (event) => {
    if (event.target.closest("[data-join]")) toggleJoin();
    else if (event.target.closest("[data-presenting]")) togglePresenting();
  });
  const people = room.bound("people");
  if (people) new ResizeObserver(() => fitChips(people)).observe(people);

  layout();
  return {
    render(stepChanged) {
      if (stepChanged) { joinAsked = false; pager.reset(); }
      layout();
    },
  };
}
