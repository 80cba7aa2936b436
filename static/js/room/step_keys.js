// The keys that turn the meeting's steps, as a keyboard or a presentation clicker sends them.
// They always drive the meeting, wherever focus is, except where the focused thing uses the key
// itself: a text field or menu (every key), a button, link or summary (Space), a dialog, or a
// card picked up with the keyboard (its handler takes the arrows first). Space and the clicker's
// other keys count on the projector only: on the long control page Space scrolls and F5 reloads.

const NEXT = ["ArrowRight", "PageDown"];
const PREVIOUS = ["ArrowLeft", "PageUp"];
// Clickers also send F5 (start the show), b or . (blank the screen) and Escape (end the show):
// they must not reload the projector or do anything else there, so they are swallowed.
const CLICKER_ONLY = ["F5", "b", "B", ".", "Escape"];

const TYPING = "input, textarea, select, [contenteditable], dialog";
const PRESSED_BY_SPACE = "button, a[href], summary, [role='button']";

// +1 (next step), -1 (previous), 0 (a clicker key with nothing to do), or null: not a step key here.
export function stepKey(event, view) {
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return null;
  const target = event.target instanceof Element ? event.target : null;
  if (target?.closest(TYPING)) return null;
  const projector = view === "projector";
  if (event.key === " ") return projector && !event.shiftKey && !target?.closest(PRESSED_BY_SPACE) ? 1 : null;
  if (event.shiftKey && event.key !== "F5") return null;
  if (NEXT.includes(event.key)) return 1;
  if (PREVIOUS.includes(event.key)) return -1;
  return projector && CLICKER_ONLY.includes(event.key) ? 0 : null;
}
