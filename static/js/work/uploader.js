// Uploading student work: pick or drop files (or take a photo), label each with a student
// code, and send each with its own progress bar. Used by the task's work page and the phone.
import { el } from "../lib/dom.js";
import { postForm } from "../lib/http.js";

// One file with its label; resolves to the server's result for it: { ok, samples } or { ok: false, error }
// ({ ok: false, skipped: true, error } when the same picture is already a sample, unless `keep`).
async function sendFile(url, file, label, onProgress, keep = false) {
  const form = new FormData();
  form.append("files", file);
  form.append("labels", label);
  form.append("duplicates", keep ? "keep" : "skip");
  const answer = await postForm(url, form, onProgress);
  return answer.results ? answer.results[0] : { ok: false, error: answer.error };
}

export function uploader({ url, capture = false, onUploaded = () => {} }) {
  const rows = el("ul", { class: "upload-rows list", "aria-live": "polite" });
  const pending = [];
  const input = el("input", { type: "file", id: "work-files", multiple: true, class: "visually-hidden",
    accept: "image/jpeg,image/png,image/webp,image/heic,image/heif,application/pdf" });
  const camera = capture ? el("input", { type: "file", id: "work-camera", accept: "image/*", capture: "environment", class: "visually-hidden" }) : null;
  const send = el("button", { type: "button", class: "hidden" }, "Upload");

  function add(files) {
    for (const file of files) {
      const label = el("input", { type: "text", placeholder: "Code, e.g. S4", "aria-label": `Student code for ${file.name}`, autocomplete: "off", dir: "auto" });
      const bar = el("progress", { max: 1, value: 0, "aria-label": `Upload progress of ${file.name}` });
      const status = el("span", { class: "upload-status" });
      const row = el("li", { class: "upload-row" }, el("span", { class: "upload-name", dir: "auto" }, file.name), label, bar, status);
      rows.append(row);
      pending.push({ file, label, bar, status, row });
    }
    send.classList.toggle("hidden", pending.length === 0);
    send.textContent = `Upload ${pending.length} ${pending.length === 1 ? "file" : "files"}`;
  }

  // Show the server's answer for one file; a picture already here is skipped unless kept.
  function showResult(item, result) {
    item.bar.value = 1;
    item.row.classList.remove("is-ok", "is-bad", "is-skipped");
    item.row.classList.add(result.ok ? "is-ok" : result.skipped ? "is-skipped" : "is-bad");
    item.status.textContent = result.ok
      ? `Uploaded${result.samples.length > 1 ? ` (${result.samples.length} pages)` : ""}`
      : result.skipped ? `${result.error} Skipped.` : result.error;
    if (result.ok) onUploaded(result.samples);
    if (!result.skipped) return;
    const keep = el("button", { type: "button", class: "secondary small" }, "Upload it anyway");
    keep.addEventListener("click", async () => {
      keep.remove();
      item.status.textContent = "Sending…";
      showResult(item, await sendFile(url, item.file, item.label.value.trim(), (f) => { item.bar.value = f; }, true));
    });
    item.status.append(" ", keep);
  }

  async function uploadAll() {
    send.disabled = true;
    const batch = pending.splice(0);
    // Two at a time: steady progress without flooding a phone's connection.
    const queue = [...batch];
    async function next() {
      const item = queue.shift();
      if (!item) return;
      item.label.disabled = true;
      item.status.textContent = "Sending…";
      showResult(item, await sendFile(url, item.file, item.label.value.trim(), (f) => { item.bar.value = f; }));
      await next();
    }
    await Promise.all([next(), next()]);
    send.disabled = false;
    send.classList.add("hidden");
  }

  input.addEventListener("change", () => { add(input.files); input.value = ""; });
  if (camera) camera.addEventListener("change", () => { add(camera.files); camera.value = ""; });
  send.addEventListener("click", uploadAll);

  const zone = el("div", { class: "drop-zone" },
    camera ? el("label", { for: "work-camera", class: "button" }, "Take a photo") : null,
    el("label", { for: "work-files", class: camera ? "button secondary" : "button" }, camera ? "Choose photos" : "Choose files"),
    el("span", { class: "muted drop-hint" }, camera ? "" : "or drop photos and PDFs here"),
    input, camera);
  for (const type of ["dragenter", "dragover"]) {
    zone.addEventListener(type, (e) => { e.preventDefault(); zone.classList.add("is-over"); });
  }
  for (const type of ["dragleave", "drop"]) zone.addEventListener(type, () => zone.classList.remove("is-over"));
  zone.addEventListener("drop", (e) => { e.preventDefault(); add(e.dataTransfer.files); });

  return el("section", { class: "uploader", "aria-label": "Upload student work" }, zone,
    el("p", { class: "hint" }, "JPEG, PNG, WebP, iPhone (HEIC) photos and PDF scans. Label each with initials or a code, never a full name."),
    rows, send);
}
