// A sample's card: its thumbnail, label, status and text, with unsure words marked; on pages
// where work is edited, buttons to correct the text or try reading it again. Used by the
// task's work page, the phone and the projector.
import { el } from "../lib/dom.js";
import { serverConstants } from "../lib/server_constants.js";
import { changeSample } from "./sample_requests.js";
import { statusText } from "./status.js";

function textWithUnsureWords(text, unsure) {
  const box = el("p", { class: "sample-text", dir: "auto" });
  if (!text) return box;
  const marks = new Set(unsure);
  for (const [i, token] of text.split(/(\s+)/).entries()) {
    box.append(i % 2 === 0 && marks.has(token) ? el("mark", { title: "The OCR is unsure of this word" }, token) : token);
  }
  return box;
}

// `preview`: the text after the "Name:" line, unmarked, as a card read from afar shows it.
export function sampleCard(sample, { editable = false, onOpen = null, preview = false } = {}) {
  const status = statusText(sample);
  const thumb = sample.thumb_url
    ? el("img", { src: sample.thumb_url, alt: `Work of ${sample.label}${sample.page > 1 ? `, page ${sample.page}` : ""}`, loading: "lazy" })
    : el("div", { class: "thumb-placeholder", role: "img", "aria-label": sample.check_url ? "Hidden until checked for a name" : "Image not ready yet" },
      sample.check_url ? null : el("span", { class: "spinner" }));
  const card = el("article", { class: `sample status-${sample.status}`, "data-sample-id": sample.id },
    onOpen && sample.image_url
      ? el("button", { type: "button", class: "thumb-button", onclick: () => onOpen(sample), "aria-label": `Open the work of ${sample.label}` }, thumb)
      : thumb,
    el("div", { class: "sample-body" },
      el("p", { class: "sample-label" }, el("span", { dir: "auto" }, sample.label), sample.page > 1 ? el("span", { class: "muted" }, ` · p. ${sample.page}`) : null),
      status ? el("p", { class: `sample-status${sample.status === "failed" ? " is-bad" : ""}`, role: sample.status === "failed" ? "alert" : null }, status) : null,
      preview ? el("p", { class: "sample-text" }, sample.preview) : textWithUnsureWords(sample.text, sample.unsure_words),
      // Only someone who may see the sample can open its check (the server refuses anyone else).
      sample.check_url ? el("a", { class: "button small", href: sample.check_url }, "Check this page", el("span", { class: "visually-hidden" }, ` of ${sample.label}`)) : null));
  if (editable) addEditing(card, sample);
  return card;
}

function addEditing(card, sample) {
  const body = card.querySelector(".sample-body");
  const note = el("p", { class: "sample-note", role: "status" });
  if (sample.status === "failed") {
    body.append(el("button", { type: "button", class: "secondary small", onclick: async () => {
      const result = await changeSample(sample.id, "retry");
      note.textContent = result.error || "Trying again…";
    } }, "Try again"), note);
    return;
  }
  if (sample.status !== "done") return;
  const edit = el("button", { type: "button", class: "secondary small" }, sample.corrected ? "Edit text" : "Correct text");
  edit.addEventListener("click", () => {
    const area = el("textarea", { rows: 4, "aria-label": `Text of ${sample.label}'s work`, "data-max-chars": serverConstants.samples.text_max_chars, dir: "auto" });
    area.value = sample.text || "";
    const save = el("button", { type: "button", class: "small" }, "Save");
    const cancel = el("button", { type: "button", class: "secondary small" }, "Cancel");
    const editor = el("div", { class: "text-editor" }, area, el("div", { class: "row" }, save, cancel));
    body.querySelector(".sample-text").replaceWith(editor);
    edit.classList.add("hidden");
    area.focus();
    cancel.addEventListener("click", () => { editor.replaceWith(textWithUnsureWords(sample.text, sample.unsure_words)); edit.classList.remove("hidden"); edit.focus(); });
    save.addEventListener("click", async () => {
      const result = await changeSample(sample.id, "text", { text: area.value });
      note.textContent = result.error || "Saved.";
    });
  });
  body.append(edit, note);
}
