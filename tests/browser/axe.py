"""Automated accessibility checks with axe-core (the npm package, installed by scripts/install) on
a Playwright page. Any browser test can check the page it is on: `axe(page, "what this page is")`
(the fixture in conftest.py). Serious and critical violations fail the test; the rest are printed.

axe's source is evaluated through the browser's debugging protocol, not added as a <script>, so a
Content Security Policy that forbids inline scripts does not stop the check.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 A and AA (the accessibility statement's standard) and axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING_IMPACTS = ("serious", "critical")

_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.html.slice(0, 160)),
  }));
}"""


@cache
def _source() -> str:
    if not AXE_JS.exists():
        raise FileNotFoundError(f"{AXE_JS} is missing: run ./scripts/install (npm ci installs axe-core)")
    return AXE_JS.read_text(encoding="utf-8") + "\n;true"


def violations(page) -> list[dict]:
    """Every axe violation on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_source())
    return page.evaluate(_RUN, TAGS)


def assert_accessible(page, name: str) -> list[dict]:
    """Fail on serious or critical violations; return the others (moderate, minor) for the record."""
    found = violations(page)
    failing = [v for v in found if v["impact"] in FAILING_IMPACTS]
    for v in found:
        print(f"axe [{name}] {v['impact']}: {v['id']} ({v['help']}) {v['nodes'][:2]}")
    assert not failing, f"{name} ({page.url}): " + "; ".join(
        f"{v['impact']} {v['id']}: {v['help']} at {v['nodes']}" for v in failing
    )
    return found
