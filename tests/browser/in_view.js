// What the room can read on the projector right now (run by test_projector.py through
// page.evaluate): for each kind of thing the room should see, which are in the viewport -
// not cut off by a clipping ancestor, not covered by anything - and the state of the controls
// that account for the rest (the pager, "+N more", the join badge); headings with a word broken
// across two lines; text the room reads that is smaller than 20px.
() => {
  const KINDS = {
    name: ".people-chips li:not(.people-more):not(.empty)",
    answer: "article.response",
    question: ".question-column h2",
    sample: "[data-sample-id]",
    group: "section.column h3",
    card: "[data-card]",
    note: ".group-notes p",
    nextStep: ".next-steps li",
    followUp: ".followup-item",
  };
  const READ = ".response-text, .card-label, .card-text, .sample-label, .sample-text, .group-notes p, .next-move, .followup-move, .column-head h3, .question-column h2";
  const [width, height] = [innerWidth, innerHeight];

  function inView(node) {
    if (!node || !node.getClientRects().length) return false;
    const r = node.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    if (r.left < -1 || r.top < -1 || r.right > width + 1 || r.bottom > height + 1) return false;
    for (let box = node.parentElement; box; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (style.visibility === "hidden" || style.opacity === "0") return false;
      if (style.overflowX !== "visible" || style.overflowY !== "visible") {
        const c = box.getBoundingClientRect();
        if (r.left < c.left - 1 || r.right > c.right + 1 || r.top < c.top - 1 || r.bottom > c.bottom + 1) return false;
      }
    }
    // Not covered: what is drawn at two points inside it is it, or inside it.
    return [[0.5, 0.5], [0.1, 0.2]].every(([x, y]) => {
      const hit = document.elementFromPoint(r.left + r.width * x, r.top + Math.min(r.height * y, 12));
      return hit && (hit === node || node.contains(hit));
    });
  }

  function brokenWords(heading) {
    const broken = [];
    const walker = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      for (const word of text.data.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(text, word.index);
        range.setEnd(text, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top / 4)));
        if (lines.size > 1) broken.push(`${heading.textContent.trim()} -> ${word[0]}`);
      }
    }
    return broken;
  }

  const shown = {};
  const total = {};
  for (const [kind, selector] of Object.entries(KINDS)) {
    const nodes = [...document.querySelectorAll(selector)];
    total[kind] = nodes.length;
    shown[kind] = nodes.flatMap((node, index) => (inView(node) ? [index] : []));
  }
  const names = [...document.querySelectorAll(KINDS.name)].filter(inView).map((n) => n.textContent.trim());
  const more = document.querySelector(".people-more");
  const badge = document.querySelector(".join-badge");
  const pager = document.querySelector('[data-bind="pager"]');
  const headings = [...document.querySelectorAll(".room-grid :is(h1, h2, h3, h4)")].filter(inView);
  const small = [...document.querySelectorAll(READ)].filter(inView)
    .filter((node) => parseFloat(getComputedStyle(node).fontSize) < 19.5)
    .map((node) => `${node.className || node.tagName}: ${getComputedStyle(node).fontSize}`);
  return {
    shown, total, names,
    more: inView(more) ? more.textContent : null,
    badge: inView(badge) ? badge.textContent.replace(/\s+/g, " ").trim() : null,
    qr: inView(document.querySelector(".qr svg")),
    pager: inView(pager) ? document.querySelector('[data-bind="page-label"]').textContent : null,
    broken: headings.flatMap(brokenWords),
    small,
    // The page itself never scrolls: not scrolled, and no taller or wider than the screen.
    scrolled: [document.scrollingElement.scrollTop, document.scrollingElement.scrollLeft],
    overflow: [document.scrollingElement.scrollWidth - width, document.scrollingElement.scrollHeight - height],
  };
}
