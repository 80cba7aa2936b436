// The team's agreements and the task in the room: the team's norms in place of a norms step's
// prompt, each of the team's key words made a button wherever it appears (the prompt, the task,
// the script, the Work Sort board's group names, notes and next steps) that shows what the word
// means, by click, tap or keyboard, in the page's one meaning box - held in view at the bottom of
// the screen, with a Close button, when the word is far from the box (on the board); and the task's context, with its question only once the server sends it (before
// Problem Introduction's step "The question" it does not).

import { el } from "../lib/dom.js";

const LETTER_OR_DIGIT = "[\\p{L}\\p{N}]";

function escapeForPattern(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// One pattern for all the key words, longest first so "number sense" wins over "number";
// a plural "s" or "es" still counts as the word.
function patternFor(keyWords) {
  if (!keyWords?.length) return null;
  const words = [...keyWords].sort((a, b) => b.word.length - a.word.length)
    .map((k) => escapeForPattern(k.word).replace(/\s+/g, "\\s+"));
  return new RegExp(`(?<!${LETTER_OR_DIGIT})(${words.join("|")})(?:e?s)?(?!${LETTER_OR_DIGIT})`, "giu");
}

function meaningOf(keyWords, found) {
  const key = found.replace(/\s+/g, " ").toLocaleLowerCase();
  return keyWords.find((k) => k.word.toLocaleLowerCase() === key);
}

export function createAgreements(room) {
  const box = room.bound("key-word-meaning");
  let shownBy = null; // the button whose meaning the box shows

  function closeMeaning() {
    if (!box) return;
    box.classList.add("hidden");
    box.classList.remove("is-floating");
    box.replaceChildren();
    shownBy?.setAttribute("aria-expanded", "false");
    shownBy = null;
  }

  function toggleMeaning(button, entry) {
    const again = shownBy === button;
    closeMeaning();
    if (again || !box) return;
    box.append(el("dfn", {}, entry.word), `: ${entry.meaning}`);
    // A word on the board, or elsewhere away from the box, would open a meaning out of sight:
    // it floats at the bottom of the screen instead (the board redraws under it as others sort).
    if (button.closest('[data-bind="board"]') || !box.parentElement.contains(button)) {
      box.classList.add("is-floating");
      box.append(" ", el("button", { type: "button", class: "link-button", onclick: () => { if (button.isConnected) button.focus(); closeMeaning(); } },
        "Close", el("span", { class: "visually-hidden" }, ` the meaning of ${entry.word}`)));
    }
    box.classList.remove("hidden");
    button.setAttribute("aria-expanded", "true");
    shownBy = button;
  }

  if (box) {
    document.addEventListener("keydown", (event) => { if (event.key === "Escape" && shownBy) { shownBy.focus(); closeMeaning(); } });
  }

  const filled = new WeakMap(); // node -> what it shows, so a broadcast leaves an open meaning open

  // node's text, with each key word a button that shows its meaning (text nodes only: no HTML).
  function fill(node, text) {
    if (!node) return;
    const keyWords = room.state?.key_words || [];
    const was = filled.get(node);
    if (was && was.text === text && was.keyWords === keyWords) return;
    filled.set(node, { text, keyWords });
    if (shownBy && node.contains(shownBy)) closeMeaning();
    const pattern = box ? patternFor(keyWords) : null;
    if (!pattern) { node.textContent = text || ""; return; }
    const parts = [];
    let last = 0;
    for (const match of (text || "").matchAll(pattern)) {
      const entry = meaningOf(keyWords, match[1]);
      if (!entry) continue;
      parts.push(text.slice(last, match.index));
      const button = el("button", { type: "button", class: "key-word", "aria-expanded": "false",
        "aria-controls": box.id, title: entry.meaning }, el("span", {}, match[0])); // the span: where the focus ring goes
      button.addEventListener("click", () => toggleMeaning(button, entry));
      parts.push(button);
      last = match.index + match[0].length;
    }
    parts.push((text || "").slice(last));
    node.replaceChildren(...parts);
  }

  function renderPrompt() {
    const { step } = room.state;
    const norms = step.team_norms;
    room.show("prompt", !norms);
    room.show("norms", Boolean(norms));
    fill(room.bound("prompt"), step.prompt);
    const list = room.bound("norms");
    const shown = list && [...list.children].map((item) => filled.get(item)?.text);
    if (list && JSON.stringify(shown) !== JSON.stringify(norms || [])) {
      list.replaceChildren(...(norms || []).map((norm) => {
        const item = el("li", { dir: "auto" });
        fill(item, norm);
        return item;
      }));
    }
  }

  function renderTask() {
    const { task } = room.state.meeting;
    fill(room.bound("task-context"), task.context);
    fill(room.bound("task-question"), task.question || "");
    room.show("task-question", Boolean(task.question));
    room.show("question-held", task.question_held);
  }

  function renderGlossary() {
    const list = room.bound("key-words");
    if (!list) return;
    const keyWords = room.state.key_words || [];
    room.show("glossary", keyWords.length > 0);
    list.replaceChildren(...keyWords.flatMap((k) => [
      el("dt", { dir: "auto" }, el("dfn", {}, k.word)), el("dd", { dir: "auto" }, k.meaning)]));
  }

  return {
    render(stepChanged) {
      if (stepChanged) closeMeaning();
      renderPrompt();
      renderTask();
      renderGlossary();
    },
    fill,
  };
}
