// Student work in the browser: uploading with per-file progress, and sample cards with their
// text, corrections, retries and blur boxes. Used by the task's work page, the phone and the
// projector. Renders with textContent only.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value == null) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child != null) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

export async function postJson(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({ error: `The server answered ${response.status}.` }));
  if (response.ok && data.sample) document.dispatchEvent(new CustomEvent("sample:changed", { detail: data.sample }));
  return response.ok ? data : { error: data.error || `The server answered ${response.status}.` };
}

const STATUS_TEXT = {
  queued: "Waiting…", processing: "Cleaning the image…", reading: "Reading…", done: "", failed: "Failed",
};

// --- uploading ---------------------------------------------------------------

function sendFile(url, file, label, onProgress) {
  return new Promise((resolve) => {
    const form = new FormData();
    form.append("files", file);
    form.append("labels", label);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-CSRFToken", csrf());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (body && body.results) resolve(body.results[0]);
      else resolve({ ok: false, error: (body && body.error) || `The server answered ${xhr.status}.` });
    };
    xhr.onerror = () => resolve({ ok: false, error: "The upload did not reach the server; check the connection." });
    xhr.send(form);
  });
}

// An upload form: pick or drop files (or take a photo), label each, send each with its own progress.
export function uploader({ url, capture = false, onUploaded = () => {} }) {
  const rows = el("ul", { class: "upload-rows list", "aria-live": "polite" });
  const pending = [];
  const input = el("input", { type: "file", id: "work-files", multiple: true, class: "visually-hidden",
    accept: "image/jpeg,image/png,image/webp,image/heic,image/heif,application/pdf" });
  const camera = capture ? el("input", { type: "file", id: "work-camera", accept: "image/*", capture: "environment", class: "visually-hidden" }) : null;
  const send = el("button", { type: "button", class: "hidden" }, "Upload");

  function add(files) {
    for (const file of files) {
      const label = el("input", { type: "text", maxlength: 8, placeholder: "Code, e.g. S4", "aria-label": `Student code for ${file.name}`, autocomplete: "off" });
      const bar = el("progress", { max: 1, value: 0, "aria-label": `Upload progress of ${file.name}` });
      const status = el("span", { class: "upload-status" });
      const row = el("li", { class: "upload-row" }, el("span", { class: "upload-name" }, file.name), label, bar, status);
      rows.append(row);
      pending.push({ file, label, bar, status, row });
    }
    send.classList.toggle("hidden", pending.length === 0);
    send.textContent = `Upload ${pending.length} ${pending.length === 1 ? "file" : "files"}`;
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
      const result = await sendFile(url, item.file, item.label.value.trim(), (f) => { item.bar.value = f; });
      item.bar.value = 1;
      item.row.classList.add(result.ok ? "is-ok" : "is-bad");
      item.status.textContent = result.ok
        ? `Uploaded${result.samples.length > 1 ? ` (${result.samples.length} pages)` : ""}`
        : result.error;
      if (result.ok) onUploaded(result.samples);
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

// --- sample cards ----------------------------------------------------------------

function textWithUnsureWords(text, unsure) {
  const box = el("p", { class: "sample-text" });
  if (!text) return box;
  const marks = new Set(unsure);
  for (const [i, token] of text.split(/(\s+)/).entries()) {
    box.append(i % 2 === 0 && marks.has(token) ? el("mark", { title: "The OCR is unsure of this word" }, token) : token);
  }
  return box;
}

export function sampleCard(sample, { editable = false, onOpen = null } = {}) {
  const statusText = sample.status === "failed" ? sample.error : STATUS_TEXT[sample.status];
  const thumb = sample.thumb_url
    ? el("img", { src: sample.thumb_url, alt: `Work of ${sample.label}${sample.page > 1 ? `, page ${sample.page}` : ""}`, loading: "lazy" })
    : el("div", { class: "thumb-placeholder", role: "img", "aria-label": "Image not ready yet" }, el("span", { class: "spinner" }));
  const card = el("article", { class: `sample status-${sample.status}`, "data-sample-id": sample.id },
    onOpen && sample.image_url
      ? el("button", { type: "button", class: "thumb-button", onclick: () => onOpen(sample), "aria-label": `Open the work of ${sample.label}` }, thumb)
      : thumb,
    el("div", { class: "sample-body" },
      el("p", { class: "sample-label" }, sample.label, sample.page > 1 ? el("span", { class: "muted" }, ` · p. ${sample.page}`) : null),
      statusText ? el("p", { class: `sample-status${sample.status === "failed" ? " is-bad" : ""}`, role: sample.status === "failed" ? "alert" : null }, statusText) : null,
      textWithUnsureWords(sample.text, sample.unsure_words)));
  if (editable) addEditing(card, sample);
  return card;
}

function addEditing(card, sample) {
  const body = card.querySelector(".sample-body");
  const note = el("p", { class: "sample-note", role: "status" });
  if (sample.status === "failed") {
    body.append(el("button", { type: "button", class: "secondary small", onclick: async () => {
      const result = await postJson(`/work/${sample.id}/retry`, {});
      note.textContent = result.error || "Trying again…";
    } }, "Try again"), note);
    return;
  }
  if (sample.status !== "done") return;
  const edit = el("button", { type: "button", class: "secondary small" }, sample.corrected ? "Edit text" : "Correct text");
  edit.addEventListener("click", () => {
    const area = el("textarea", { rows: 4, "aria-label": `Text of ${sample.label}'s work`, maxlength: 4000 });
    area.value = sample.text || "";
    const save = el("button", { type: "button", class: "small" }, "Save");
    const cancel = el("button", { type: "button", class: "secondary small" }, "Cancel");
    const editor = el("div", { class: "text-editor" }, area, el("div", { class: "row" }, save, cancel));
    body.querySelector(".sample-text").replaceWith(editor);
    edit.classList.add("hidden");
    area.focus();
    cancel.addEventListener("click", () => { editor.replaceWith(textWithUnsureWords(sample.text, sample.unsure_words)); edit.classList.remove("hidden"); edit.focus(); });
    save.addEventListener("click", async () => {
      const result = await postJson(`/work/${sample.id}/text`, { text: area.value });
      note.textContent = result.error || "Saved.";
    });
  });
  body.append(edit, note);
}

// --- the full image: zoom with the browser, draw boxes to blur --------------------

export function openViewer(sample) {
  const dialog = el("dialog", { class: "viewer", "aria-label": `Work of ${sample.label}` });
  const img = el("img", { src: sample.image_url, alt: `Work of ${sample.label}`, draggable: "false" });
  const marquee = el("div", { class: "marquee hidden" });
  const stage = el("div", { class: "viewer-stage" }, img, marquee);
  const note = el("p", { class: "hint", role: "status" }, "Pinch or use the browser's zoom to look closer.");
  const close = el("button", { type: "button", class: "secondary" }, "Close");
  const drawToggle = el("button", { type: "button", class: "secondary", "aria-pressed": "false" }, "Hide part of the image");
  let drawing = false;
  drawToggle.addEventListener("click", () => {
    drawing = !drawing;
    stage.classList.toggle("is-drawing", drawing);
    drawToggle.setAttribute("aria-pressed", String(drawing));
    note.textContent = drawing ? "Drag a box over the name or anything private; it is blurred for everyone." : "";
  });
  dialog.append(el("div", { class: "viewer-head row" }, el("strong", {}, sample.label), drawToggle, close), stage,
    note, el("p", { class: "sample-text" }, sample.text || ""));
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => dialog.remove());

  let start = null;
  const point = (e) => {
    const r = img.getBoundingClientRect();
    return [Math.min(1, Math.max(0, (e.clientX - r.left) / r.width)), Math.min(1, Math.max(0, (e.clientY - r.top) / r.height))];
  };
  const draw = (a, b) => {
    const r = img.getBoundingClientRect(); const s = stage.getBoundingClientRect();
    Object.assign(marquee.style, {
      left: `${r.left - s.left + Math.min(a[0], b[0]) * r.width}px`, top: `${r.top - s.top + Math.min(a[1], b[1]) * r.height}px`,
      width: `${Math.abs(a[0] - b[0]) * r.width}px`, height: `${Math.abs(a[1] - b[1]) * r.height}px`,
    });
  };
  img.addEventListener("pointerdown", (e) => { if (drawing && e.isPrimary) { start = point(e); img.setPointerCapture(e.pointerId); marquee.classList.remove("hidden"); draw(start, start); } });
  img.addEventListener("pointermove", (e) => { if (start) draw(start, point(e)); });
  img.addEventListener("pointerup", async (e) => {
    if (!start) return;
    const end = point(e);
    const box = [Math.min(start[0], end[0]), Math.min(start[1], end[1]), Math.max(start[0], end[0]), Math.max(start[1], end[1])];
    start = null;
    const result = await postJson(`/work/${sample.id}/blur`, { box });
    marquee.classList.add("hidden");
    note.textContent = result.error || "Blurring… the image updates in a moment.";
    if (!result.error) drawToggle.click();
  });
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}
