"""The workbench page in Debian's headless Chromium, with every request but loopback blocked."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

BAD_REQUEST = "Failed to load resource: the server responded with a status of 400 (Bad Request)"


def _cards(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator("#headline .card .value").all_text_contents()


@pytest.mark.browser
def test_workbench_in_chromium(server, cli, chromium, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Loads clean and offline; Simulate moves the headline and shows a paired difference;
    a bad value shows its message and the page keeps working; Re-plan completes; an export
    downloads a scenario folder (zip) that `drawdown validate` accepts, and opens the
    offline report."""
    from playwright import sync_api

    foreign: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(**chromium)
        try:
            # routed for the whole context: the exported report's tab is offline too
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            page = context.new_page()

            def route(r) -> None:  # type: ignore[no-untyped-def]
                if r.request.url.startswith(server.origin + "/"):
                    r.continue_()
                else:
                    foreign.append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(server.url, wait_until="load")
            page.wait_for_selector("body[data-ready=yes]", timeout=60_000)
            assert page.locator("#figures svg.figure").count() == 5
            baseline = _cards(page)
            assert len(baseline) >= 5 and errors == [] and foreign == []

            # Simulate: road approval down, the headline moves, a paired difference shows
            page.fill('input[data-name="clearance.road.approval"]', "0.4")
            page.fill("#variant-name", "roads at 0.4")
            page.click("#simulate")
            page.wait_for_selector("#showing:has-text('roads at 0.4')", timeout=120_000)
            assert _cards(page) != baseline
            # the numbers come first, then the figures the report's code draws
            page.wait_for_selector("body[data-figures=drawn]", timeout=120_000)
            assert page.locator("#figures svg.figure").count() == 5
            assert "figures drawn in" in page.locator("#showing-note").inner_text()
            diff = page.locator('#key-figures td.diff[data-figure="completion_day"]').inner_text()
            assert re.match(r"^\+[\d.]+ \[[\d.]+, [\d.]+\]$", diff), diff
            assert page.locator("#variants tbody tr").count() >= 2
            assert errors == []

            # a bad value: its message on the page, then the page still works
            page.fill('input[data-name="clearance.road.approval"]', "lots")
            page.click("#simulate")
            page.wait_for_selector("#errors:not([hidden])", timeout=60_000)
            message = page.locator("#errors").inner_text()
            assert "--set, clearance.road.approval=lots: 'lots' is not a number" in message
            assert set(errors) <= {BAD_REQUEST}
            errors.clear()
            page.fill('input[data-name="clearance.road.approval"]', "0.6")
            page.fill("#variant-name", "roads at 0.6")
            page.click("#simulate")
            page.wait_for_selector("#showing:has-text('roads at 0.6')", timeout=120_000)
            assert page.locator("#errors").is_hidden()

            # Re-plan: progress, then the re-planned variant
            page.fill("#variant-name", "re-planned")
            page.click("#replan")
            page.wait_for_selector("#cancel:visible", timeout=30_000)
            page.wait_for_selector("#job-status:has-text('done')", timeout=300_000)
            page.wait_for_selector("#showing:has-text('re-planned')", timeout=30_000)
            assert "its own re-optimised plan" in page.locator("#showing-note").inner_text()

            # export the first variant: download its scenario folder, open its report
            row = page.locator("#variants tbody tr", has_text="roads at 0.4")
            row.locator("button.export").click()
            page.wait_for_selector("#export-report", timeout=120_000)
            with page.expect_download(timeout=60_000) as info:
                page.click("#export-zip")
            download = info.value
            assert download.suggested_filename.endswith("-scenario.zip")
            download.save_as(tmp_path / "variant.zip")
            with page.expect_download(timeout=60_000) as saved:
                page.click("#export-report-file")
            assert saved.value.suggested_filename.endswith("-report.html")
            with page.expect_popup(timeout=60_000) as popup:
                page.click("#export-report")
            report = popup.value
            report.wait_for_load_state("load")
            assert report.locator("svg").count() >= 5
            assert errors == [] and foreign == []
        finally:
            browser.close()
    with zipfile.ZipFile(tmp_path / "variant.zip") as archive:
        archive.extractall(tmp_path / "unpacked")
    (folder,) = (tmp_path / "unpacked").iterdir()
    code, out = cli("validate", str(folder))
    assert code == 0, out
