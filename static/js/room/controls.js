// The facilitator's controls on the projector and the control page: step, timer, names,
// input lock, end; the keyboard's and presentation clickers' step keys (step_keys.js) move
// between steps.

import { stepKey } from "./step_keys.js";

export function createControls(room) {
  const { root, send } = room;
  let targetPos = null; // where quick repeated Next/Previous presses are heading

  async function moveBy(delta) {
    const { step } = room.state;
    const from = targetPos ?? step.pos;
    const pos = Math.min(step.total - 1, Math.max(0, from + delta));
    if (pos === from) return;
    targetPos = pos;
    if (!(await send("step:goto", { pos }))) targetPos = null;
  }

  const actions = {
    prev: () => moveBy(-1),
    next: () => moveBy(1),
    "timer-toggle": () => send(room.state.timer.running ? "timer:pause" : "timer:start"),
    "add-minute": () => send("timer:add", { seconds: 60 }),
    "hide-names": () => send("names:hide", { value: !room.state.names_hidden }),
    "lock-input": () => send("input:lock", { value: !room.state.input_locked }),
    end: () => { if (confirm("End the meeting for everyone? The join code stops working.")) send("meeting:end"); },
  };

  if (room.canControl) {
    root.addEventListener("click", (event) => {
      const button = event.target.closest("[data-action]");
      if (button && room.state && actions[button.dataset.action]) actions[button.dataset.action]();
    });
    document.addEventListener("keydown", (event) => {
      const delta = room.state ? stepKey(event, room.view) : null;
      if (delta === null) return;
      event.preventDefault();
      if (delta && !room.state.meeting.ended) moveBy(delta);
    });
  }

  function render() {
    if (!room.canControl) return;
    const { state } = room;
    const toggle = room.bound("timer-toggle");
    if (toggle) toggle.textContent = state.timer.running ? "Pause timer" : "Start timer";
    for (const [action, on, label] of [["hide-names", state.names_hidden, ["Hide names", "Show names"]],
      ["lock-input", state.input_locked, ["Lock input", "Unlock input"]]]) {
      const button = root.querySelector(`[data-action="${action}"]`);
      button.setAttribute("aria-pressed", String(on));
      button.textContent = label[on ? 1 : 0];
    }
    root.querySelector('[data-action="prev"]').disabled = state.step.pos === 0;
    root.querySelector('[data-action="next"]').disabled = state.step.pos === state.step.total - 1;
    for (const button of root.querySelectorAll(".controls button")) {
      if (state.meeting.ended) button.disabled = true;
    }
  }

  // The step the room is now on: Next/Previous presses count from it again once they got there.
  function stepShown(pos) {
    if (targetPos === pos) targetPos = null;
  }

  return { render, stepShown };
}
