// The patterns step: how many samples each group holds, the anticipated strategies nobody
// used (removed ones too), what showed up that nobody anticipated, and the unit's critical
// strategies nobody used.

import { el } from "../lib/dom.js";

export function patternsPanel(p) {
  const most = Math.max(1, ...p.counts.map((c) => c.count));
  return el("section", { class: "patterns", "aria-label": "Patterns" },
    el("table", { class: "pattern-table" },
      el("caption", {}, "Samples per group"),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Group"), el("th", { scope: "col" }, "Samples"))),
      el("tbody", {}, ...p.counts.map((c) => el("tr", {},
        el("th", { scope: "row", dir: "auto" }, c.name),
        el("td", {}, bar(c.count / most), ` ${c.count}`))))),
    el("div", { class: "pattern-lists" },
      el("div", {}, el("h4", {}, "Anticipated, but nobody used"),
        p.nobody_used.length ? el("ul", {}, ...p.nobody_used.map((n) => el("li", { dir: "auto" }, n))) : el("p", { class: "empty" }, "Every anticipated strategy showed up.")),
      el("div", {}, el("h4", {}, "Showed up unanticipated"),
        p.unanticipated.length || p.in_unanticipated
          ? el("ul", {}, ...p.unanticipated.map((n) => el("li", { dir: "auto" }, n)),
            p.in_unanticipated ? el("li", {}, `${p.in_unanticipated} in “Unanticipated”, not yet named`) : null)
          : el("p", { class: "empty" }, "Nothing we did not anticipate.")),
      criticalList(p),
      p.unsorted ? el("p", { class: "muted" }, `${p.unsorted} still unsorted.`) : null));
}

// The strategies the team marked critical for the unit (on the team page) that no card shows.
function criticalList(p) {
  if (!p.critical.length) return null;
  return el("div", {}, el("h4", {}, "Critical strategies nobody used"),
    p.critical_nobody_used.length ? el("ul", {}, ...p.critical_nobody_used.map((n) => el("li", { dir: "auto" }, n)))
      : el("p", { class: "empty" }, "Every critical strategy showed up."));
}

function bar(fraction) {
  const node = el("span", { class: "bar", "aria-hidden": "true" });
  node.style.width = `${Math.round(fraction * 100)}%`; // set through the DOM: the CSP forbids style attributes
  return node;
}
