// Dragging a box over an image (a name or anything private): the box comes back in fractions
// (0-1) of the image's width and height. Used by the viewer and by the name check.
import { el } from "../lib/dom.js";

// Shows `box` (fractions) over `img` inside `stage` with the `marquee` element.
export function showBox(stage, img, marquee, box) {
  const r = img.getBoundingClientRect(); const s = stage.getBoundingClientRect();
  Object.assign(marquee.style, {
    left: `${r.left - s.left + stage.scrollLeft + box[0] * r.width}px`, top: `${r.top - s.top + stage.scrollTop + box[1] * r.height}px`,
    width: `${(box[2] - box[0]) * r.width}px`, height: `${(box[3] - box[1]) * r.height}px`,
  });
  marquee.classList.remove("hidden");
}

// A stage holding `img`, where a drag draws a box while `isDrawing()`; `onBox(box)` gets it.
export function drawingStage(img, isDrawing, onBox) {
  const marquee = el("div", { class: "marquee hidden" });
  const stage = el("div", { class: "viewer-stage" }, img, marquee);
  let start = null;
  const point = (e) => {
    const r = img.getBoundingClientRect();
    return [Math.min(1, Math.max(0, (e.clientX - r.left) / r.width)), Math.min(1, Math.max(0, (e.clientY - r.top) / r.height))];
  };
  const span = (a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])];
  img.addEventListener("pointerdown", (e) => {
    if (isDrawing() && e.isPrimary) { start = point(e); img.setPointerCapture(e.pointerId); showBox(stage, img, marquee, span(start, start)); }
  });
  img.addEventListener("pointermove", (e) => { if (start) showBox(stage, img, marquee, span(start, point(e))); });
  img.addEventListener("pointerup", (e) => {
    if (!start) return;
    const box = span(start, point(e));
    start = null;
    onBox(box);
  });
  return { stage, marquee };
}
