// The phone's page around the step: a new step starts at the top of the page with focus on its
// title (screen readers read it, nobody hunts for it), and the end of the meeting replaces the
// whole page with a view that says so and what happens next.

export function showNewStep(room) {
  window.scrollTo({ top: 0, behavior: "instant" });
  room.bound("step-title").focus({ preventScroll: true });
}

export function showEnded(room) {
  for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
  room.show("live", false);
  room.show("ended-view", true);
  window.scrollTo({ top: 0, behavior: "instant" });
  room.bound("ended-view").querySelector("h1").focus({ preventScroll: true });
}
