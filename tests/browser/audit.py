"""The accessibility audit of a page: axe-core (from the npm registry, copied into static/vendor by
`make frontend`) run inside the page, and the phone's rule that every control is a thumb's target."""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe.min.js"
BLOCKING = ("serious", "critical")

# Each violation as "rule (impact): help - the first few offending elements".
RUN_AXE = """async () => {
  const { violations } = await axe.run(document, { resultTypes: ["violations"] });
  return violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map((n) => n.target.join(" ") + (n.failureSummary ? " :: " + n.failureSummary.replace(/\\s+/g, " ") : "")) }));
}"""


def axe_violations(page: Page) -> list[dict]:
    """Serious and critical violations on the page as it is now."""
    if not page.evaluate("() => Boolean(window.axe)"):
        # By URL, from the app itself: the pages' Content-Security-Policy forbids inline scripts.
        assert AXE.exists(), f"{AXE} is missing: run `make frontend`"
        page.add_script_tag(url="/static/vendor/axe.min.js")
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in BLOCKING]


def expect_no_axe_violations(page: Page, what: str) -> None:
    found = axe_violations(page)
    assert not found, f"{what}: " + "\n".join(f"{v['id']} ({v['impact']}): {v['help']} - {v['nodes']}" for v in found)


# Controls smaller than 44 px high on screen: a control wrapped in a label counts as its label;
# links inside a line of text, and controls hidden for screen readers' or scripts' sake, aside.
SMALL_TARGETS = """(least) => {
  const controls = document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])");
  const small = [];
  for (const node of controls) {
    const box = node.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || node.closest(".visually-hidden, .hidden, [hidden]")) continue;
    if (node.matches("a") && [...node.parentElement.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim())) continue;
    const target = node.closest("label") || node;
    const height = target.getBoundingClientRect().height;
    if (height < least) small.push(`${node.tagName.toLowerCase()} "${(node.textContent || node.getAttribute("aria-label") || node.name || "").trim().slice(0, 40)}": ${Math.round(height)} px`);
  }
  return small;
}"""


def small_targets(page: Page, least: int = 44) -> list[str]:
    return page.evaluate(SMALL_TARGETS, least)
