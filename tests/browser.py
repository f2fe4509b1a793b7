"""Shared helper for browser tests: Debian's headless Chromium via Playwright.

``open_page`` loads a local file with every request routed: ``file:`` ones go
through, anything else is aborted and recorded, so a test can assert that a
page fetched nothing. Console messages, page errors and dialogs are recorded
too (dialogs are dismissed so an injected ``alert`` cannot hang a test).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.export.screenshot import CHROMIUM_ARGS, CHROMIUM_PATH, chromium  # noqa: F401


@dataclass
class PageLog:
    """What a page did while a test drove it."""

    requests: list[str] = field(default_factory=list)  # every URL requested
    blocked: list[str] = field(default_factory=list)  # non-file: URLs (aborted)
    console: list[tuple[str, str]] = field(default_factory=list)  # (type, text)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @property
    def console_errors(self) -> list[str]:
        return [text for kind, text in self.console if kind == "error"]


#: The same headless Debian Chromium the screenshot helper uses.
launch_browser = chromium


def open_page(browser, path: Path, *, width: int = 1400, height: int = 900):
    """Open ``path`` from disk in a fresh context; returns ``(page, log)``."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    log = PageLog()

    def route(route) -> None:
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            log.blocked.append(url)
            route.abort()

    def dialog(d) -> None:
        log.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    # On the context, so that popups and workers are covered too.
    context.route("**/*", route)
    context.on("request", lambda request: log.requests.append(request.url))
    page.on("console", lambda msg: log.console.append((msg.type, msg.text)))
    page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
    page.on("dialog", dialog)
    page.goto(Path(path).resolve().as_uri())
    return page, log
