"""A bounded crawl of the site's pages in a real browser, and what each page is checked for.

Pages are followed from the home page by same-origin links (and GET forms, sent with their
default values); pages that differ only by ids, dates or query values share one route template
and are visited once, so the crawl's size follows the number of routes, not of rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import BrowserContext, ConsoleMessage, Error, Page, Response

# Links that act rather than show (language switch, log-out) and machine endpoints.
SKIPPED_PREFIXES = ("/lang/", "/logout", "/static/", "/api/", "/docs", "/openapi", "/media/")
SERIOUS = {"serious", "critical"}
# Where to go after logging in does not change the page.
IGNORED_QUERY = {"next"}
_ID = re.compile(r"^\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
# axe-core is loaded into every page of a context before the page's own scripts (and past its
# Content-Security-Policy), so each check only runs it.
AXE_SOURCE = Axe().axe_script
AXE_RUN = "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)"

LINKS_AND_FORMS = """() => {
  const found = [...document.querySelectorAll('a[href]')]
    .filter(a => !a.target && !a.hasAttribute('download'))
    .map(a => a.href);
  for (const form of document.querySelectorAll('form')) {
    if ((form.getAttribute('method') || 'get').toLowerCase() !== 'get') continue;
    const query = new URLSearchParams(new FormData(form)).toString();
    found.push(form.action + (query ? '?' + query : ''));
  }
  return found;
}"""

# Lines a header item's words take (the line boxes of its text, badges drawn over it aside),
# for every visible item.
NAV_LINES = """() => [...document.querySelectorAll(
    '.site-header a, .site-header button, .site-header summary')]
  .filter(el => el.offsetParent !== null && !el.closest('.bell-menu'))
  .map(el => {
    const tops = new Set();
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      if (getComputedStyle(node.parentElement).position === 'absolute') continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) {
        if (rect.width > 0) tops.add(Math.round(rect.top));
      }
    }
    return {text: el.textContent.trim(), lines: tops.size};
  })"""


def route_template(url: str) -> str:
    """/games/12?sort=newest -> /games/{id}?sort: one visit per route and query shape."""
    parts = urlsplit(url)
    segments = [
        "{id}" if _ID.match(s) else "{date}" if _DATE.match(s) else s for s in parts.path.split("/")
    ]
    query = parse_qsl(parts.query, keep_blank_values=True)
    keys = sorted({key for key, _value in query if key not in IGNORED_QUERY})
    return "/".join(segments) + ("?" + "&".join(keys) if keys else "")


def followable(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" == origin and not parts.path.startswith(
        SKIPPED_PREFIXES
    )


@dataclass
class PageReport:
    url: str
    problems: list[str] = field(default_factory=list)


@dataclass
class Crawl:
    """One browser context (a role, a language, a screen size) visiting pages."""

    context: BrowserContext
    origin: str
    label: str
    artifacts: Path
    reports: list[PageReport] = field(default_factory=list)
    landed: dict[str, str] = field(default_factory=dict)  # where each visit ended up

    async def visit(self, url: str, *, name: str) -> list[str]:
        """Opens ``url``, checks it, saves a screenshot; returns the links and GET forms found."""
        page = await self.context.new_page()
        report = PageReport(url)
        self.reports.append(report)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(f"JavaScript error: {error}"))
        page.on("console", lambda message: _console_error(message, errors))
        page.on("response", lambda response: _server_error(response, self.origin, errors))
        try:
            response = await page.goto(url, wait_until="load")
            if response is None:
                report.problems.append("no response")
                return []
            await self._check(page, report, menu_shot=name == "home")
            await page.screenshot(
                path=str(self.artifacts / f"{self.label}-{name}.png"), full_page=True
            )
            self.landed[url] = page.url
            found = await page.evaluate(LINKS_AND_FORMS)
        except Error as error:
            report.problems.append(f"browser: {error.message.splitlines()[0]}")
            return []
        finally:
            report.problems.extend(errors)
            for problem in report.problems:
                print(f"{self.label} {url}: {problem}")  # seen at once with pytest -s
            await page.close()
        return [link.split("#")[0] for link in found if followable(link, self.origin)]

    async def _check(self, page: Page, report: PageReport, *, menu_shot: bool) -> None:
        width = await page.evaluate("() => window.innerWidth")
        scroll_width = await page.evaluate("() => document.documentElement.scrollWidth")
        if scroll_width > width:
            report.problems.append(f"scrolls sideways: {scroll_width}px in a {width}px window")
        menu_button = page.locator("#site-menu > summary")
        if await menu_button.is_visible():
            await menu_button.click()
            open_width = await page.evaluate("() => document.documentElement.scrollWidth")
            if open_width > width:
                report.problems.append(f"the open menu scrolls sideways: {open_width}px")
        for item in await page.evaluate(NAV_LINES):
            if item["lines"] > 2:
                report.problems.append(f"header item {item['text']!r} takes {item['lines']} lines")
        if await menu_button.is_visible():
            if menu_shot:
                await page.screenshot(path=str(self.artifacts / f"{self.label}-menu.png"))
            await menu_button.click()
        for violation in await page.evaluate(AXE_RUN):
            if violation["impact"] in SERIOUS:
                targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
                report.problems.append(
                    f"axe {violation['impact']} {violation['id']}: {violation['help']} {targets}"
                )


def _console_error(message: ConsoleMessage, errors: list[str]) -> None:
    if message.type == "error":
        errors.append(f"console error: {message.text}")


def _server_error(response: Response, origin: str, errors: list[str]) -> None:
    if response.status >= 500 and response.url.startswith(origin):
        errors.append(f"{response.status} from {response.url}")


def slug(template: str) -> str:
    cleaned = re.sub(r"[^a-zA-Z0-9]+", "-", template).strip("-")
    return cleaned or "home"
