// Teachers' photos of their own solutions, on a step that asks for them (Doing Math Together's
// solve step). The projector and the control page show them side by side: a grid as large as
// the screen allows, each photo under its teacher's name unless the room shows no names. A
// phone shows its own photo: take or choose one, watch it upload and be cleaned, then see it
// as the room does, to replace or remove; or read what was wrong with the file.

import { el } from "../lib/dom.js";
import { postForm } from "../lib/http.js";

const ACCEPTED = "image/jpeg,image/png,image/webp,image/heic,image/heif,application/pdf";

// Columns for n photos on a wide screen: one row up to four (photos of paper stand upright),
// then two rows, then three.
const columnsFor = (n) => (n <= 4 ? Math.max(n, 1) : Math.ceil(n / (n <= 8 ? 2 : 3)));

export function createSolutions(room) {
  const { view } = room;
  let mine = null; // the id of this phone's photo on the step, as the server says
  let panel = null; // the phone's panel on a step that takes photos

  const photos = () => room.state?.solution_photos;
  // Names leave at once when the facilitator hides them; the server's list follows (refresh).
  const authorOf = (photo) => (room.state.names_hidden ? null : photo.author);

  function figure(photo, index, count) {
    const author = authorOf(photo);
    const alt = author ? `Solution by ${author}` : `Solution ${index + 1} of ${count}`;
    return el("figure", { class: "solution", "data-photo-id": photo.id },
      el("img", { src: view === "projector" ? photo.image_url : photo.thumb_url, alt, width: photo.width,
        height: photo.height, decoding: "async" }),
      author ? el("figcaption", { dir: "auto" }, author) : null);
  }

  // The grid on the projector and the control page.
  function render() {
    const box = room.bound("solutions");
    if (!box) return;
    const list = photos();
    box.classList.toggle("hidden", !list);
    if (!list) { box.replaceChildren(); return; }
    box.style.setProperty("--columns", String(columnsFor(list.length))); // CSSOM: the CSP allows it
    box.replaceChildren(...(list.length
      ? list.map((photo, index) => figure(photo, index, list.length))
      : [el("p", { class: "empty" }, "Photos of solutions appear here as they are sent.")]));
    box.setAttribute("aria-label", `Teachers' solutions: ${list.length} ${list.length === 1 ? "photo" : "photos"}`);
  }

  function upsert(photo) {
    const list = photos();
    if (!list) return;
    const index = list.findIndex((p) => p.id === photo.id);
    if (index >= 0) list[index] = photo; else list.push(photo);
    render();
    panel?.show();
  }

  function removed(id) {
    const list = photos();
    if (!list) return;
    room.state.solution_photos = list.filter((p) => p.id !== id);
    if (id === mine) mine = null;
    render();
    panel?.show();
  }

  // The step's photos as the server has them now, and which is this phone's.
  async function refresh() {
    const ack = await room.send("solutions:get");
    if (!ack || !room.state) return;
    room.state.solution_photos = ack.photos;
    mine = ack.mine;
    render();
    panel?.show();
  }

  // The phone's panel: its own photo and what to do with it.
  function phonePanel() {
    const picture = el("div", { class: "solution-mine" });
    const bar = el("progress", { max: 1, value: 0, class: "hidden", "aria-label": "Upload progress of your photo" });
    const status = el("p", { class: "upload-status", role: "status" });
    const camera = el("input", { type: "file", accept: "image/*", capture: "environment", class: "visually-hidden" });
    const chooser = el("input", { type: "file", accept: ACCEPTED, class: "visually-hidden" });
    const takeLabel = el("span", {}, "Take a photo");
    const remove = el("button", { type: "button", class: "secondary hidden" }, "Remove my photo");
    let busy = false;

    function say(text, kind = "") {
      status.textContent = text;
      status.className = `upload-status${kind ? ` is-${kind}` : ""}`;
    }

    function show() {
      const photo = photos()?.find((p) => p.id === mine);
      picture.replaceChildren(...(photo
        ? [el("img", { src: photo.thumb_url, alt: "Your solution, as the main screen shows it", width: photo.width, height: photo.height })]
        : [el("p", { class: "muted" }, "No photo yet. Work on paper, then take a photo of it.")]));
      takeLabel.textContent = photo ? "Take a new photo" : "Take a photo";
      remove.classList.toggle("hidden", !photo);
    }

    async function send(file) {
      if (!file || busy) return;
      busy = true;
      bar.value = 0;
      bar.classList.remove("hidden");
      say("Sending…");
      const form = new FormData();
      form.append("photo", file);
      const answer = await postForm(`/live/${room.meetingId}/solution`, form, (done) => {
        bar.value = done;
        if (done >= 1) say("Cleaning the photo: turning it upright and removing its location and camera data…");
      });
      busy = false;
      bar.classList.add("hidden");
      if (answer.error) { say(answer.error, "bad"); return; }
      mine = answer.photo.id;
      upsert(answer.photo);
      say("Your photo is on the main screen.", "ok");
    }

    for (const input of [camera, chooser]) {
      input.addEventListener("change", () => { const [file] = input.files; input.value = ""; send(file); });
    }
    remove.addEventListener("click", async () => {
      if (mine == null) return;
      const id = mine;
      if (await room.send("solution:remove", { id })) { removed(id); say("Your photo was removed."); }
    });

    const node = el("section", { class: "solution-panel", "aria-labelledby": "solution-panel-title" },
      el("h2", { id: "solution-panel-title" }, "Photo of your solution"),
      picture,
      el("div", { class: "row" },
        el("label", { class: "button" }, takeLabel, camera),
        el("label", { class: "button secondary" }, "Choose a photo", chooser),
        remove),
      bar, status,
      el("p", { class: "hint" }, "The main screen shows everyone's photos side by side. Location and camera data are removed."));
    panel = { node, show };
    show();
    refresh(); // which photo, if any, is this phone's
    return node;
  }

  return {
    render,
    upsert,
    removed,
    refresh,
    // On a new step the phone's panel is drawn again, or not at all.
    panel() { panel = null; return photos() && view === "phone" ? phonePanel() : null; },
  };
}
