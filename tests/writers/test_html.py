"""The HTML report without a browser: escaping, the policy, what is embedded."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

from ficlens import writers
from ficlens.model import WorkMeta
from ficlens.writers import html
from tests.writers.sample import PAYLOADS, injection_document, sample_document


def embedded(page: str) -> dict[str, object]:
    match = re.search(r'<script type="application/json" id="ficlens-data">(.*?)</script>', page, re.S)
    assert match is not None
    data: dict[str, object] = json.loads(match.group(1))
    return data


def test_html_is_chosen_by_suffix_and_written(tmp_path: Path) -> None:
    assert writers.write(sample_document(), tmp_path / "r.html") == "html"
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Harbour · ficlens report</title>" in page


def test_no_payload_survives_as_markup() -> None:
    page = html.render(injection_document())
    for payload in PAYLOADS[:2]:
        assert payload not in page
    assert "<img" not in page
    # Exactly the report's own two script elements and one style element.
    assert page.count("<script") == 2
    assert page.count("</script>") == 2
    assert page.count("</style>") == 1
    data = embedded(page)
    assert PAYLOADS[0] in data["text"]  # type: ignore[operator]
    assert data["title"] == "Title " + " ".join(PAYLOADS)


def test_json_for_script_escapes_what_could_end_the_block() -> None:
    out = html.json_for_script({"t": "</script><!-- & \u2028"})
    assert "<" not in out and ">" not in out and "&" not in out and "\u2028" not in out
    assert json.loads(out) == {"t": "</script><!-- & \u2028"}


def test_policy_allows_only_the_reports_own_style_and_script() -> None:
    page = html.render(sample_document())
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None and "default-src 'none'" in csp.group(1)
    for tag in ("style", "script"):
        body = re.search(rf"<{tag}>(.*?)</{tag}>", page, re.S)
        assert body is not None
        digest = base64.b64encode(hashlib.sha256(body.group(1).encode()).digest()).decode()
        assert f"{tag}-src 'sha256-{digest}'" in csp.group(1)
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page


def test_placeholders_in_the_story_are_left_alone() -> None:
    doc = sample_document(" {{SCRIPT}} {{DATA}}")
    page = html.render(doc)
    assert page.count("use strict") == 1
    assert "{{SCRIPT}} {{DATA}}" in embedded(page)["text"]  # type: ignore[operator]


def test_report_data_has_colours_words_and_the_network() -> None:
    data = html.report_data(sample_document())
    chars = {c["id"]: c for c in data["characters"]}
    assert chars["c1"]["words"] == 3  # "Come here," and "Now."
    assert chars["c1"]["colour"] != chars["c2"]["colour"]
    assert data["edges"] == [{"a": "c1", "b": "c2", "dialogue": 3, "scenes": 2}]


def test_title_of_plain_text_is_a_short_first_line() -> None:
    assert html.title(sample_document()) == "Harbour"  # the work's own
    untitled = sample_document().with_(work=WorkMeta())
    assert html.title(untitled) == "Chapter 1: Harbour"
    assert html.title(untitled.with_(text="She ran.\n\nMore.")) == "Untitled"
