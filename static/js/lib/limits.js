// Typed text is never cut silently. A field with a server limit carries it as data-max-chars
// (from the page's server constants or the template; no script repeats a limit). Near the limit
// a counter appears under it ("480 / 500"); text over it - typed or pasted - is kept whole, the
// field says how much too long it is and is marked invalid, so its form will not send and the
// send button says why. Screen readers hear each change of state, politely.
// One listener for the whole page: fields drawn later (the board, the phone) need no set-up.

const NEAR = 0.9; // the counter shows from this share of the limit

const count = (n) => n.toLocaleString("en-US");

let made = 0; // notes made on this page, for their ids

// The note right after a field, if it has one: a visible counter and a hidden polite live region.
function noteOf(field) {
  const next = field.nextElementSibling;
  return next?.classList.contains("char-limit") ? next : null;
}

function makeNote(field) {
  made += 1;
  const note = document.createElement("p");
  note.id = `char-limit-${made}`;
  note.className = "char-limit";
  note.dataset.state = "";
  const shown = document.createElement("span");
  shown.setAttribute("aria-hidden", "true");
  const said = document.createElement("span");
  said.className = "visually-hidden";
  said.setAttribute("aria-live", "polite");
  note.append(shown, said);
  field.after(note);
  field.setAttribute("aria-describedby", [field.getAttribute("aria-describedby"), note.id].filter(Boolean).join(" "));
  return note;
}

function submitButtons(field) {
  return field.form ? [...field.form.querySelectorAll('button[type="submit"], button:not([type])')] : [];
}

// Call it after setting a field's value from a script (no input event then).
export function checkLimit(field) {
  const max = Number(field.dataset.maxChars);
  if (!max) return;
  const length = field.value.length;
  const state = length > max ? "over" : length >= max * NEAR ? "near" : "";
  if (!state && !noteOf(field)) return;
  const note = noteOf(field) || makeNote(field);
  const [shown, said] = note.children;
  const over = length - max;
  const problem = `Too long by ${count(over)} characters: the limit is ${count(max)}. Shorten it before sending.`;
  shown.textContent = !state ? "" : state === "over" ? `${count(length)} / ${count(max)}. ${problem}` : `${count(length)} / ${count(max)}`;
  note.classList.toggle("error", state === "over");
  field.setCustomValidity(state === "over" ? problem : "");
  if (state === "over") field.setAttribute("aria-invalid", "true"); else field.removeAttribute("aria-invalid");
  for (const button of submitButtons(field)) button.title = state === "over" ? problem : "";
  // Said when the state changes, or when a paste changes how much too long it is: not at every key.
  const jumped = state === "over" && Math.abs(over - Number(note.dataset.over || 0)) > 1;
  if (state !== note.dataset.state || jumped) {
    said.textContent = state === "over" ? problem : state === "near" ? `${count(length)} of ${count(max)} characters used.` : "";
  }
  note.dataset.state = state;
  note.dataset.over = state === "over" ? String(over) : "";
}

document.addEventListener("input", (event) => {
  if (event.target instanceof HTMLElement && event.target.dataset.maxChars) checkLimit(event.target);
});
