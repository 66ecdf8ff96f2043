"""--format html: one self-contained page, parsed (docs/screenshot.py renders it in Chromium)."""

from __future__ import annotations

from html.parser import HTMLParser

from format_samples import BROKEN, MAIN, MEMBER, sample_report, suppressed_result
from trailwarden.checks.compliance import FRAMEWORKS
from trailwarden.formats.base import FORMATS, RenderContext


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(data: bytes) -> Page:
    page = Page()
    page.feed(data.decode("utf-8"))
    page.close()
    return page


def render(**context) -> tuple[bytes, Page]:
    data = FORMATS["html"].render(sample_report(), RenderContext(**context))
    return data, parse(data)


def test_the_page_references_nothing_on_the_network():
    data, page = render()
    for tag, attrs in page.tags:
        for name in ("src", "href", "action", "data", "poster", "srcset"):
            value = attrs.get(name) or ""
            assert not value.lower().lstrip().startswith(("http:", "https:", "//")), (tag, attrs)
        assert not (tag == "script" and attrs.get("src")), attrs
        assert not (tag == "link" and attrs.get("rel") == "stylesheet"), attrs
    csp = [
        a for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")
    assert b"@import" not in data and b"url(http" not in data


def test_outside_text_is_escaped_not_markup():
    data, page = render()
    assert b"<script>alert(1)</script>" not in data
    assert [t for t, _ in page.tags].count("script") == 1  # the page's own, inline
    assert b"\x1b" not in data and "\u202e".encode() not in data
    assert "alert(1)" in "".join(page.text)


def test_summary_matrix_findings_filters_search_and_mapping():
    data, page = render(framework=FRAMEWORKS["cis-2.0"])
    text = "".join(page.text)
    for account in (MAIN, MEMBER, BROKEN):
        assert account in text
    assert "AccessDenied on sts:AssumeRole" in text  # the account that could not be scanned
    assert "Organization summary" in text and "Compliance mapping" in text
    assert "TW103 (CIS v2.0 4.3)" in text
    boxes = [a["data-status"] for t, a in page.tags if t == "input" and a.get("data-status")]
    assert boxes == ["PASS", "FAIL", "ERROR", "NOT_APPLICABLE"]
    assert any(t == "input" and a.get("type") == "search" for t, a in page.tags)
    rows = [a for t, a in page.tags if t == "tr" and "finding" in (a.get("class") or "")]
    assert len(rows) == len(sample_report().findings)
    assert "suppressed until 2026-06-30" in text


def test_the_fix_plan_and_suppression_notes_appear_when_given():
    plan = {"account_id": MAIN, "steps": [{"id": 1, "action": "logs:PutMetricFilter",
            "target": "arn:aws:logs:us-east-1:111111111111:log-group:g", "region": "us-east-1",
            "reason": "Put metric filter trailwarden-cis-TW101"}], "skipped": []}  # fmt: skip
    _, page = render(plan=plan, suppressions=suppressed_result(sample_report()),
                     suppressions_file=".trailwarden.yaml")  # fmt: skip
    text = "".join(page.text)
    assert "Fix plan for account 111111111111" in text and "logs:PutMetricFilter" in text
    assert "expired" in text and "matched nothing" in text


def test_fix_writes_the_html_report_with_its_plan(seed, env, tmp_path):
    from clihelpers import healthy_trail, run

    healthy_trail(seed)
    page = tmp_path / "fix.html"
    result = run(["fix", "--format", "html", "--output", str(page)], env)
    assert result.exit_code == 1, result.output  # changes are planned, not applied
    text = "".join(parse(page.read_bytes()).text)
    assert "Fix plan for account" in text and "logs:PutMetricFilter" in text
    assert "Organization summary" in text


def test_a_remediation_keeps_its_lines_and_escapes_every_other_control():
    from dataclasses import replace

    report = sample_report()
    failing = next(f for f in report.findings if f.status.value == "FAIL")
    fix = "aws logs put-metric-filter --filter-name x\naws sns subscribe\r<b>\x1b[2J"
    report = replace(report, findings=(replace(failing, remediation=fix),))
    data = FORMATS["html"].render(report, RenderContext())
    assert b"--filter-name x\naws sns subscribe\\x0d&lt;b&gt;\\x1b[2J</pre>" in data
