// A sample's whole image in a dialog: zoom with the browser, and draw boxes over names or
// anything private, which the server blurs for everyone.
import { el } from "../lib/dom.js";
import { changeSample } from "./sample_requests.js";

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
  dialog.append(el("div", { class: "viewer-head row" }, el("strong", { dir: "auto" }, sample.label), drawToggle, close), stage,
    note, el("p", { class: "sample-text", dir: "auto" }, sample.text || ""));
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
    const result = await changeSample(sample.id, "blur", { box });
    marquee.classList.add("hidden");
    note.textContent = result.error || "Blurring… the image updates in a moment.";
    if (!result.error) drawToggle.click();
  });
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}
