"""Screenshots of CoTrack's main pages at a phone's and a laptop's width.

    python docs/screenshots/shoot.py --base http://127.0.0.1:5000 --out docs/screenshots/after

Signs in as the demo lead of Northwind Storage (README: every demo password is
cotrack-demo) against a running server with the demo data, and saves home, the venture
overview, its revenue ledger, its timeline and the revenue report, each at 390×844 and
1366×900 (what fits on the screen, light mode), as PNG files named <page>-<width>.png.
Uses Playwright with Debian's Chromium, like the browser tests; nothing is downloaded.
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
SIZES = {390: 844, 1366: 900}
ACCOUNT = "lead@northwind.example"
PASSWORD = "cotrack-demo"  # noqa: S105 (the documented demo password)
VENTURE = "Mobile storage array"


def sign_in(page) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email").fill(ACCOUNT)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def venture_path(page) -> str:
    page.goto("/ventures/")
    href = page.get_by_role("link", name=VENTURE).first.get_attribute("href")
    return href.rstrip("/")


def shoot(base: str, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(base_url=base, color_scheme="light",
                                      reduced_motion="reduce")
        page = context.new_page()
        sign_in(page)
        venture = venture_path(page)
        pages = {"home": "/", "venture": venture, "ledger": f"{venture}/revenue",
                 "timeline": f"{venture}/timeline", "report": "/reports"}
        for width, height in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            for name, path in pages.items():
                page.goto(path)
                target = out / f"{name}-{width}.png"
                page.screenshot(path=str(target))
                written.append(target)
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:5000", help="the running server")
    parser.add_argument("--out", default=str(Path(__file__).parent / "after"), type=Path)
    args = parser.parse_args()
    for path in shoot(args.base, Path(args.out)):
        print(f"{path}  {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
