// The step's timer: counts down on the local clock from what the server last said, so every
// screen shows the same time without a message each second.

export function createTimer(room) {
  let endsAt = null; // ms, local clock, while running
  let left = 0; // seconds, while paused

  function tick() {
    const node = room.bound("timer");
    if (!node || !room.state) return;
    const seconds = endsAt ? Math.max(0, (endsAt - Date.now()) / 1000) : left;
    const whole = Math.ceil(seconds);
    node.textContent = `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
    node.classList.toggle("timer-running", Boolean(endsAt));
    node.classList.toggle("timer-done", whole === 0);
    node.setAttribute("aria-label", `${Math.floor(whole / 60)} minutes ${whole % 60} seconds left`);
  }
  setInterval(tick, 250);

  // `timer` as the room's state carries it: { running, seconds_left }.
  return function setTimer(timer) {
    endsAt = timer.running ? Date.now() + timer.seconds_left * 1000 : null;
    left = timer.seconds_left;
    tick();
  };
}
