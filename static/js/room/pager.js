// Pages on the projector. What a step lists (answers, student work, the board, next steps) is
// a `.paged` flow: projector.css lays it out in columns as tall as the room, at the smallest
// size still read from the back, and the columns that do not fit go on to the right. One
// screen-width of columns is a page; the room sees "2 of 3" whenever there is more than one,
// and [ and ] (or the pager's buttons) turn them. A flow that fits on one page is drawn as
// large as it can be and still fit. Nothing here knows what the flow holds: any change to the
// page is measured again.

const GROW = [1.6, 1.4, 1.2]; // sizes tried, largest first, for a flow that fits on one page

export function createPager(root) {
  const main = root.querySelector(".room-main");
  const nav = root.querySelector('[data-bind="pager"]');
  const label = root.querySelector('[data-bind="page-label"]');
  let flow = null; // the flow shown on this step
  let pitch = 0; // px from one page to the next: the flow's width and one gap between columns
  let page = 0;
  let pages = 1;
  let measuring = false;
  let dragging = false; // a card is in the air: its flow keeps its size under the pointer

  // The flow's pages at its current size.
  function count() {
    const gap = parseFloat(getComputedStyle(flow).columnGap) || 0;
    pitch = flow.clientWidth + gap;
    // The overflowing columns make the flow's scroll width; a page ends one gap after its last column.
    return pitch > 0 ? Math.max(1, Math.ceil((flow.scrollWidth + gap) / pitch - 0.01)) : 1;
  }

  function measure() {
    measuring = false;
    flow = [...main.querySelectorAll(".paged")].find((node) => node.getClientRects().length) || null;
    pages = 1;
    if (flow && !dragging) {
      flow.style.fontSize = ""; // CSSOM: the CSP allows it
      pages = count();
      if (pages === 1) {
        const fits = GROW.find((size) => { flow.style.fontSize = `${size}em`; return count() === 1; });
        if (!fits) flow.style.fontSize = "";
        count();
      }
    } else if (flow) {
      pages = count();
    }
    page = Math.min(page, pages - 1);
    show();
  }

  function show() {
    if (flow) flow.style.transform = page ? `translateX(${-page * pitch}px)` : "";
    nav.classList.toggle("hidden", pages < 2);
    label.textContent = `${page + 1} of ${pages}`;
    nav.querySelector('[data-page="-1"]').disabled = page === 0;
    nav.querySelector('[data-page="1"]').disabled = page >= pages - 1;
  }

  function remeasure() {
    if (measuring) return;
    measuring = true;
    requestAnimationFrame(measure);
  }

  function turn(delta) {
    const next = Math.min(pages - 1, Math.max(0, page + delta));
    if (next === page) return;
    page = next;
    show();
  }

  // The page a node of the flow is on (its left edge against the flow's, both moved alike).
  function pageOf(node) {
    if (!flow || !flow.contains(node) || pitch <= 0) return page;
    const offset = node.getBoundingClientRect().left - flow.getBoundingClientRect().left;
    return Math.min(pages - 1, Math.max(0, Math.floor((offset + 1) / pitch)));
  }

  new ResizeObserver(remeasure).observe(main);
  new MutationObserver(remeasure).observe(main, { childList: true, subtree: true, characterData: true,
    attributes: true, attributeFilter: ["class", "hidden"] });
  nav.addEventListener("click", (event) => {
    const button = event.target.closest("[data-page]");
    if (button) turn(Number(button.dataset.page));
  });
  main.addEventListener("dragstart", () => { dragging = true; });
  main.addEventListener("dragend", () => { dragging = false; remeasure(); });
  // Whatever gets the keyboard's focus is brought into view with its page.
  main.addEventListener("focusin", (event) => {
    const target = pageOf(event.target);
    if (target !== page) { page = target; show(); }
  });

  return {
    turn,
    // A new step starts on its first page.
    reset() { page = 0; remeasure(); },
  };
}
