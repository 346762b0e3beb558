"""Walk every page as one account: one load per page, then each width and colour mode.

For each page the walk loads it once, then for each (width, colour mode) resizes the
viewport, switches ``prefers-color-scheme`` and runs axe-core (axe-playwright-python ships
axe.min.js; nothing is downloaded), and measures how wide the document is at phone width.
"""

from dataclasses import dataclass, field

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.pages import Page

WIDTHS = (390, 1366)
HEIGHTS = {390: 844, 1366: 900}
MODES = ("light", "dark")
#: impacts that fail the test, and rules that fail it whatever axe rates them (issue 14:
#: one h1 per page, no empty table headers)
BLOCKING = ("critical", "serious")
ALWAYS_BLOCKING = ("page-has-heading-one", "empty-table-header", "heading-order")
AXE_OPTIONS = {"resultTypes": ["violations"]}

_axe = Axe()


@dataclass
class Finding:
    page: str
    path: str
    width: int
    mode: str
    rule: str
    impact: str
    targets: list[str]
    summary: str

    def __str__(self) -> str:
        shown = ", ".join(self.targets[:4]) + (" …" if len(self.targets) > 4 else "")
        return (f"{self.page} {self.path} @{self.width}px {self.mode}: {self.rule} "
                f"({self.impact}) on {shown} — {self.summary}")


@dataclass
class WalkResult:
    findings: list[Finding] = field(default_factory=list)
    too_wide: list[str] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    theme_not_followed: list[str] = field(default_factory=list)
    not_one_h1: list[str] = field(default_factory=list)
    checks: int = 0


def set_mode(page, mode: str) -> bool:
    """Switch the system's colour scheme; True once the page follows it (theme.js hears the
    change a moment later). Reduced motion: Bootstrap then switches colours without a
    transition, so axe never measures a colour halfway through one."""
    page.emulate_media(color_scheme=mode, reduced_motion="reduce")
    try:
        page.wait_for_function(
            "mode => (document.documentElement.dataset.bsTheme || 'light') === mode",
            arg=mode, timeout=10_000)
    except PlaywrightTimeout:
        return False
    return True


def walk(page, pages: list[Page], widths=WIDTHS, modes=MODES) -> WalkResult:
    result = WalkResult()
    for target in pages:
        page.set_viewport_size({"width": widths[0], "height": HEIGHTS[widths[0]]})
        page.emulate_media(color_scheme=modes[0], reduced_motion="reduce")
        response = page.goto(target.path)
        result.statuses[target.path] = response.status if response else 0
        h1s = page.locator("h1").count()
        if h1s != 1:
            result.not_one_h1.append(f"{target.name} {target.path}: {h1s} h1")
        for width in widths:
            page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
            if width <= 390:
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                if scroll_width > width:
                    result.too_wide.append(f"{target.name} {target.path}: {scroll_width}px")
            for mode in modes:
                if not set_mode(page, mode):
                    result.theme_not_followed.append(f"{target.name} {target.path}: {mode}")
                report = _axe.run(page, options=AXE_OPTIONS).response
                result.checks += 1
                for v in report["violations"]:
                    if v["impact"] in BLOCKING or v["id"] in ALWAYS_BLOCKING:
                        result.findings.append(Finding(
                            target.name, target.path, width, mode, v["id"], v["impact"],
                            [" ".join(map(str, n["target"])) for n in v["nodes"]],
                            v["help"]))
    return result
