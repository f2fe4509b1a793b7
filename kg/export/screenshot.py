"""Screenshots of the HTML view in headless Chromium (Debian's, never a download).

Used to write ``output/graph.png`` and by the tests. The page is opened from
disk with every non-``file:`` request aborted, and the picture is taken once
the layout has settled (``window.kgView.stabilized``).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: Debian's chromium; Playwright must not fetch a browser of its own.
CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
#: How long to wait for the layout to settle before shooting anyway.
SETTLE_TIMEOUT_MS = 120_000


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Debian Chromium, closed on exit (Playwright ``Browser``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM_PATH, args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


def screenshot(html_path: Path, png_path: Path, width: int = 1600, height: int = 1000) -> Path:
    """Render ``html_path`` once its layout has settled and save a PNG."""
    html_path = Path(html_path).resolve()
    png_path = Path(png_path)
    png_path.parent.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": height})
        page.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
        )
        page.goto(html_path.as_uri())
        page.wait_for_function("() => Boolean(window.kgView && window.kgView.stabilized)", timeout=SETTLE_TIMEOUT_MS)
        # One more frame so the canvas shows the final positions.
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        page.screenshot(path=str(png_path))
        page.close()
    return png_path
