// The private name check: the unblurred page, the box the reader was unsure of, and the three
// answers (no name, accept the box, draw one). Once answered, the page leaves this screen.
import { el } from "./lib/dom.js";
import { drawingStage, showBox } from "./work/box_drawing.js";
import { changeSample } from "./work/sample_requests.js";

const root = document.getElementById("name-check");
const note = document.getElementById("check-note");
const drawButton = document.getElementById("draw-box");
const suggestion = JSON.parse(document.getElementById("name-suggestion").textContent);
const img = el("img", { src: root.dataset.imageUrl, alt: `Work of ${root.dataset.label}, not yet blurred`, draggable: "false" });
let drawing = false;

async function answer(body) {
  const result = await changeSample(root.dataset.sampleId, "check", body);
  if (result.error) {
    note.textContent = result.error;
    return;
  }
  // The unblurred page is no longer needed here.
  root.replaceChildren(el("p", { role: "status" }, "Thank you. The page is blurred and shown to the room in a moment."));
}

const { stage, marquee } = drawingStage(img, () => drawing, (box) => answer({ choice: "box", box }));
document.getElementById("check-stage").append(stage);
if (suggestion) {
  const show = () => { if (!drawing) showBox(stage, img, marquee, suggestion); };
  img.addEventListener("load", show);
  window.addEventListener("resize", show);
}

document.getElementById("no-name").addEventListener("click", () => answer({ choice: "none" }));
document.getElementById("accept-box")?.addEventListener("click", () => answer({ choice: "accept" }));
drawButton.addEventListener("click", () => {
  drawing = !drawing;
  stage.classList.toggle("is-drawing", drawing);
  drawButton.setAttribute("aria-pressed", String(drawing));
  if (drawing) marquee.classList.add("hidden");
  note.textContent = drawing ? "Drag a box over the name; it is blurred for everyone." : "";
});
