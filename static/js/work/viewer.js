// A sample's whole image in a dialog: zoom with the browser, and draw boxes over names or
// anything private, which the server blurs for everyone.
import { el } from "../lib/dom.js";
import { drawingStage } from "./box_drawing.js";
import { changeSample } from "./sample_requests.js";

export function openViewer(sample) {
  const dialog = el("dialog", { class: "viewer", "aria-label": `Work of ${sample.label}` });
  const img = el("img", { src: sample.image_url, alt: `Work of ${sample.label}`, draggable: "false" });
  let drawing = false;
  const { stage, marquee } = drawingStage(img, () => drawing, async (box) => {
    const result = await changeSample(sample.id, "blur", { box });
    marquee.classList.add("hidden");
    note.textContent = result.error || "Blurring… the image updates in a moment.";
    if (!result.error) drawToggle.click();
  });
  const note = el("p", { class: "hint", role: "status" }, "Pinch or use the browser's zoom to look closer.");
  const close = el("button", { type: "button", class: "secondary" }, "Close");
  const drawToggle = el("button", { type: "button", class: "secondary", "aria-pressed": "false" }, "Hide part of the image");
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

  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}
