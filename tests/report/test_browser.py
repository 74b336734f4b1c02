"""The report opened in headless Chromium with the network blocked: it renders, alone."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.browser
def test_report_renders_offline_in_chromium(
    tiny_report: Path, chromium: dict[str, object], tmp_path: Path
) -> None:
    """No console error, no network request, figures and tables drawn, a screenshot taken."""
    try:
        from playwright import sync_api
    except ImportError:
        pytest.fail("playwright is missing: install the dev group (pip install -e . --group dev)")
    requests: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(**chromium)
        try:
            context = browser.new_context(
                viewport={"width": 1366, "height": 900}, offline=True, java_script_enabled=True
            )
            page = context.new_page()

            def on_request(route) -> None:  # type: ignore[no-untyped-def]
                url = route.request.url
                if url.startswith(("file:", "data:", "about:")):
                    route.continue_()
                else:
                    requests.append(url)
                    route.abort()

            page.route("**/*", on_request)
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("requestfailed", lambda r: requests.append(r.url))
            page.goto(tiny_report.as_uri(), wait_until="load")

            sizes = page.evaluate(
                """() => Array.from(document.querySelectorAll('svg.figure')).map(s => {
                     const r = s.getBoundingClientRect();
                     return [s.dataset.figure, r.width, r.height,
                             s.querySelectorAll('path, use, rect, text').length];
                   })"""
            )
            drawn = {name: (w, h, n) for name, w, h, n in sizes}
            for key in ("map", "gantt", "fan", "cargo-outcome", "incidents", "protection"):
                width, height, marks = drawn[key]
                assert width > 300 and height > 150 and marks > 10, (key, drawn[key])
            # The map draws the country outlines: many path elements.
            assert drawn["map"][2] > 30

            rows = page.locator("#movements tbody tr").count()
            assert rows > 0
            first = page.locator("#movements tbody tr >> nth=0").inner_text()
            page.locator("#movements thead th >> nth=1").click()  # sort by day
            page.locator("#movements thead th >> nth=1").click()  # and reversed
            assert page.locator("#movements tbody tr >> nth=0").inner_text() != first
            assert page.locator("#movements tbody tr").count() == rows

            # Printed, the navigation goes and the movements table is no longer cut off.
            page.emulate_media(media="print")
            assert not page.locator("nav").is_visible()
            scroll = page.locator("#movements .scroll")
            assert scroll.evaluate("e => getComputedStyle(e).overflow") == "visible"
            page.emulate_media(media="screen")

            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
            context.close()
        finally:
            browser.close()
    assert errors == []
    assert requests == []


@pytest.mark.browser
def test_report_with_every_analysis_renders_offline(analysed, chromium, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A report holding all four analysis sections: no console error, no request, drawn."""
    from playwright import sync_api

    requests: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(**chromium)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 900}, offline=True)
            page = context.new_page()

            def on_request(route) -> None:  # type: ignore[no-untyped-def]
                if route.request.url.startswith(("file:", "data:", "about:")):
                    route.continue_()
                else:
                    requests.append(route.request.url)
                    route.abort()

            page.route("**/*", on_request)
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("requestfailed", lambda r: requests.append(r.url))
            page.goto((analysed.folder / "report.html").as_uri(), wait_until="load")
            for key in ("compare", "sensitivity", "calibration", "check"):
                assert page.locator(f"nav a[href='#{key}']").count() == 1
                assert page.locator(f"section#{key} table tbody tr").count() > 0
            sizes = page.evaluate(
                """() => Array.from(document.querySelectorAll('section svg.figure')).map(s => {
                     const r = s.getBoundingClientRect();
                     return [s.dataset.figure, r.width, r.height,
                             s.querySelectorAll('path, use, rect, text').length];
                   })"""
            )
            drawn = {name: (w, h, n) for name, w, h, n in sizes}
            for key in ("compare-fan", "compare-gantt", "sensitivity-casualties", "check"):
                width, height, marks = drawn[key]
                assert width > 300 and height > 150 and marks > 10, (key, drawn[key])
            # sortable like the other tables
            table = page.locator("#check table.sortable >> nth=1")
            table.locator("thead th >> nth=3").click()
            assert table.locator("thead th >> nth=3").get_attribute("aria-sort") == "ascending"
            shot = tmp_path / "analyses.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
            context.close()
        finally:
            browser.close()
    assert errors == []
    assert requests == []
