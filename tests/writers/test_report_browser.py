"""The HTML report in a real browser: Debian's headless Chromium driven by Playwright.

Skipped, with the reason, where Chromium or Playwright is absent; CI installs
both (.ci/run). Screenshots go to out/test-artifacts/.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ficlens import writers
from ficlens.model import Document
from ficlens.pipeline import analyze_path
from tests.conftest import FIXTURES, REPO
from tests.writers.sample import INJECTION, PAYLOADS, injection_document, sample_document

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e .[dev])"
)

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO / "out" / "test-artifacts"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed at /usr/bin/chromium (.ci/run installs it)",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    profile = tempfile.mkdtemp(prefix="ficlens-chromium-")
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


class Report:
    """A report open in a page, with every console error and page error it raised."""

    def __init__(self, browser: Any, doc: Document, path: Path, width: int = 1280) -> None:
        writers.write(doc, path, "html")
        self.page = browser.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.set_viewport_size({"width": width, "height": 900})
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("#cast-table tbody tr")

    def count(self, selector: str) -> int:
        n: int = self.page.locator(selector).count()
        return n

    def shoot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_report_loads_without_errors_and_shows_every_part(browser: Any, tmp_path: Path) -> None:
    report = Report(browser, sample_document(), tmp_path / "report.html")
    assert report.errors == []
    assert report.count("#text .q") == 3
    assert report.count("#text .t") == 1
    assert report.count("#cast-table tbody tr") == 2
    assert report.count("#network-svg circle") == 2
    assert report.count("#scene-table tbody tr") == 2
    assert report.count("#scene-bar a") == 2
    assert "Anna" in report.page.locator("#tag-columns").inner_text()
    report.shoot("report.png")
    report.page.close()


def test_report_fits_a_phone(browser: Any, tmp_path: Path) -> None:
    report = Report(browser, sample_document(), tmp_path / "phone.html", width=390)
    overflow = report.page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 390
    report.shoot("report-phone.png")
    report.page.close()


def test_clicking_a_character_filters_to_their_lines(browser: Any, tmp_path: Path) -> None:
    report = Report(browser, sample_document(), tmp_path / "click.html")
    report.page.click("#cast-table button[data-char='c1']")
    hits = report.page.locator("#text .q.hit")
    assert hits.count() == 2
    assert {hits.nth(k).get_attribute("data-speaker") for k in range(2)} == {"c1"}
    assert report.count("#text .q.dim") == 1
    assert report.page.locator("#text .q.dim").get_attribute("data-speaker") == "c2"
    assert report.count("#text .m.hit") == 4
    assert report.page.locator("#status").inner_text() == "Anna: 2 lines and 4 mentions highlighted"
    # "Only their lines" hides the paragraphs where they do not speak.
    report.page.check("#only")
    assert report.page.locator("#text p:not(.scene-head)").nth(0).is_visible()
    assert not report.page.locator("#text p:not(.scene-head)").nth(1).is_visible()
    # The keyboard reaches the same control; pressing it again clears the selection.
    report.page.focus("#cast-table button[data-char='c1']")
    report.page.keyboard.press("Enter")
    assert report.count("#text .q.hit") == 0
    assert report.page.locator("#text p:not(.scene-head)").nth(1).is_visible()
    # The network's nodes select too.
    report.page.click("#network-svg g[data-char='c2']")
    assert report.page.locator("#text .q.hit").get_attribute("data-speaker") == "c2"
    assert report.errors == []
    report.page.close()


def test_a_tags_evidence_is_marked_in_the_story(browser: Any, tmp_path: Path) -> None:
    report = Report(browser, sample_document(), tmp_path / "evidence.html")
    report.page.click("#tag-columns li:has-text('Anna') button.evidence")
    marked = report.page.locator("#text p.ev")
    assert marked.count() == 2  # Anna is named in the first and the last paragraph
    assert marked.nth(0).inner_text().startswith('"Come here,"')
    assert marked.nth(1).inner_text().startswith("Anna thought")
    assert (
        report.page.locator("#status").inner_text() == "Evidence for Anna: 2 paragraphs marked in the story"
    )
    assert report.errors == []
    report.page.close()


def test_focus_shows_speaker_addressees_kind_and_confidence(browser: Any, tmp_path: Path) -> None:
    report = Report(browser, sample_document(), tmp_path / "tip.html")
    report.page.focus("#text .q[data-id='q3']")
    tip = report.page.locator("#tip")
    assert tip.is_visible()
    assert tip.inner_text().split("\n") == ["Speaker: Ben", "To: Anna", "Kind: anaphoric", "Confidence: 0.70"]
    report.page.focus("#text .t")
    assert tip.inner_text() == "Thought: Anna"
    report.page.close()


def assert_inert(report: Report) -> None:
    page = report.page
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert report.dialogs == []
    assert report.errors == []
    # No markup was made from the story: only the report's own two scripts, no image.
    assert page.evaluate("document.scripts.length") == 2
    assert page.evaluate("document.images.length") == 0
    body = page.locator("body").inner_text()
    for payload in PAYLOADS:
        assert payload in body


def test_injection_story_stays_inert(browser: Any, tmp_path: Path) -> None:
    report = Report(browser, injection_document(), tmp_path / "injection.html")
    assert_inert(report)
    assert report.page.title() == f"Title {INJECTION} · ficlens report"
    assert PAYLOADS[1] in report.page.locator("#cast-table").inner_text()
    report.shoot("report-injection.png")
    report.page.close()


def test_ao3_injection_through_the_whole_pipeline_stays_inert(browser: Any, tmp_path: Path) -> None:
    doc = analyze_path(FIXTURES / "ao3" / "injection.html")
    report = Report(browser, doc, tmp_path / "ao3.html")
    assert_inert(report)
    own = report.page.locator("#tag-columns").inner_text()
    assert f"Jo {INJECTION}" in own
    report.page.close()
