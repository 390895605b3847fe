"""A real headless Chromium for the desk's browser tests (Debian's `chromium`, driven by
Playwright; Playwright's own browser download is never used), and the skeleton of a page
that tells whether its screenshot in docs/desk/ still shows its structure."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html.parser import HTMLParser
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@asynccontextmanager
async def chromium() -> AsyncIterator[Any]:
    """A fresh headless Chromium; `new_context(browser)` is one user's window."""
    if shutil.which("chromium") is None:
        pytest.skip(
            "!!! BROWSER TESTS SKIPPED: Debian's chromium is not installed "
            "(apt-get install chromium; .ci/run installs it) !!!"
        )
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            await browser.close()


async def new_context(browser: Any) -> Any:
    """One user's cookies and downloads, 1280 pixels wide."""
    return await browser.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="en-IN"
    )


class _Skeleton(HTMLParser):
    """Tags with their ids and classes, nested; text and other attributes left out, and
    runs of identical siblings (rows of a table) counted as one."""

    VOID = frozenset({"br", "img", "input", "link", "meta", "hr", "source"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[list[Any]] = [["root", []]]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        label = tag + "".join(f".{c}" for c in (named.get("class") or "").split())
        if named.get("id"):
            label += f"#{named['id']}"
        node: list[Any] = [label, []]
        self.stack[-1][1].append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        if len(self.stack) > 1 and tag not in self.VOID:
            self.stack.pop()


def _render(node: list[Any], depth: int, out: list[str]) -> None:
    previous = None
    for child in node[1]:
        lines: list[str] = []
        _render(child, depth + 1, lines)
        text = "  " * depth + child[0] + "\n" + "".join(lines)
        if text != previous:
            out.append(text)
        previous = text


def skeleton(html: str) -> str:
    """The page's structure as indented text, stable across data and languages."""
    parser = _Skeleton()
    parser.feed(html)
    out: list[str] = []
    _render(parser.stack[0], 0, out)
    return "".join(out)
