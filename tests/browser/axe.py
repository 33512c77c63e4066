"""axe-core (node_modules/axe-core, pinned in package-lock.json) run in a page.

The portal's CSP (script-src 'self') refuses an injected script, so the contexts that run axe
are made with `bypass_csp=True` (AXE_CONTEXT): only those, and only so that axe can be added.
"""

from __future__ import annotations

from functools import cache

from tests.browser.conftest import AXE

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Contexts that run axe: CSP bypassed (the CSP forbids injected scripts), nothing else changed.
AXE_CONTEXT = {"bypass_csp": True}

_RUN = """async (tags) => {
  const result = await window.axe.run(document, {
    runOnly: { type: "tag", values: tags },
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html })),
  }));
}"""


@cache
def _source() -> str:
    return AXE.read_text()


def axe_violations(page) -> list[dict]:
    """The WCAG 2.0/2.1 A and AA violations axe finds in `page` as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=_source())
    return page.evaluate(_RUN, TAGS)


def axe_report(where: str, violations: list[dict]) -> list[str]:
    """One line per offending element: page, rule, selector and HTML."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            html = " ".join(node["html"].split())[:300]
            lines.append(f"{where}: [{violation['id']}] {violation['help']} -- {node['target']} -- {html}")
    return lines
