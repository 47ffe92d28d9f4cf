"""The report in a real headless browser: Debian's chromium driven by selenium through the system chromedriver.

The report of the bundled corpus is opened from ``file://`` (no server, no
network): the table of contents links resolve, the filters change which notices
are shown, the tables sort, a clause link on a notice page lands on its clause,
and no page logs a console error. Screenshots of the overview and of one notice
page are kept in ``out/test-artefacts/``.

Skipped, saying why, where selenium, chromium or chromedriver is missing
(``apt-get install chromium chromium-driver``; ``pip install selenium``).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest
from synthetic import copies

from policylab.report import write_report

ARTEFACTS = Path(__file__).resolve().parents[1] / "out" / "test-artefacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
CHROMEDRIVER = shutil.which("chromedriver")

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="no headless browser: install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
)


@pytest.fixture(scope="module")
def report(tables, tmp_path_factory):
    out = tmp_path_factory.mktemp("browser-report")
    return write_report(tables, out, progress=False)


@pytest.fixture(scope="module")
def browser():
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="policylab-chromium-")
    options = Options()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1400,1800"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def open_page(driver, path: Path):
    driver.get(path.resolve().as_uri())
    driver.get_log("browser")  # start each page with an empty console log


def console_errors(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def in_view(driver, element) -> bool:
    """The page scrolled so that ``element`` starts inside the window."""
    return driver.execute_script("const r = arguments[0].getBoundingClientRect();"
                                 "return window.scrollY > 0 && r.top >= -1 && r.top < window.innerHeight", element)


def shows(driver, n: int) -> bool:
    """Wait (up to 10 s) until the notice table shows ``n`` rows; the reset button filters after a tick."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        WebDriverWait(driver, 10, poll_frequency=0.05).until(lambda d: visible_rows(d) == n)
    except TimeoutException:
        return False
    return True


def visible_rows(driver) -> int:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#notice-table tbody tr')).filter(r => !r.hidden).length")


def test_contents_links_resolve_and_scroll(browser, report):
    open_page(browser, report)
    targets = browser.execute_script(
        "return Array.from(document.querySelectorAll('nav#toc a')).map(a => a.getAttribute('href'))")
    assert len(targets) >= 8
    missing = browser.execute_script(
        "return arguments[0].filter(h => !document.getElementById(decodeURIComponent(h.slice(1))))", targets)
    assert missing == []
    link = browser.find_element("css selector", "nav#toc a[href='#templates']")
    link.click()
    assert browser.execute_script("return location.hash") == "#templates"
    assert in_view(browser, browser.execute_script("return document.getElementById('templates')"))
    assert console_errors(browser) == []


def test_filters_change_what_is_shown(browser, report, tables):
    from selenium.webdriver.support.ui import Select

    open_page(browser, report)
    n = len(tables.documents)
    assert shows(browser, n)
    sector = Select(browser.find_element("css selector", "#filters select[name=sector]"))
    sector.select_by_value("J Information, communication")
    expected = int((tables.documents["nace_section"] == "J").sum())
    assert 1 < expected < n
    assert shows(browser, expected)
    assert browser.find_element("css selector", "[data-filter-count]").text == str(expected)
    language = Select(browser.find_element("css selector", "#filters select[name=language]"))
    language.select_by_value("nn")
    both = int(((tables.documents["nace_section"] == "J") & (tables.documents["language"] == "nn")).sum())
    assert 0 < both < expected
    assert shows(browser, both)
    browser.find_element("css selector", "#filters button[type=reset]").click()
    assert shows(browser, n)
    browser.find_element("css selector", "#filters input[name=company]").send_keys("økoråd")
    assert shows(browser, 1)
    shown = browser.execute_script("return Array.from(document.querySelectorAll('#notice-table tbody tr'))"
                                   ".filter(r => !r.hidden).map(r => r.cells[0].textContent)")
    assert shown == ["ØkoRåd Gruppen"]
    assert console_errors(browser) == []


def test_notice_table_sorts_by_a_column(browser, report):
    open_page(browser, report)
    column = browser.execute_script(
        "return Array.from(document.querySelectorAll('#notice-table thead th')).findIndex(th => th.textContent === 'words')")
    header = browser.find_elements("css selector", "#notice-table thead th")[column]

    def words():
        return browser.execute_script(
            "return Array.from(document.querySelectorAll('#notice-table tbody tr')).map(r => Number(r.cells[arguments[0]].textContent))",
            column)

    before = words()
    header.click()
    first = words()
    header.click()
    second = words()
    assert sorted(before) in (first, second) and sorted(before, reverse=True) in (first, second)
    assert first != before or second != before


def test_notice_page_links_its_evidence_to_the_clause(browser, report, tables):
    open_page(browser, report)
    link = browser.find_element("link text", "ØkoRåd Gruppen")
    link.click()
    assert browser.find_element("tag name", "h1").text == "ØkoRåd Gruppen"
    # Every in-page link resolves; the first evidence link lands on its clause, which holds the quoted text.
    dangling = browser.execute_script(
        "return Array.from(document.querySelectorAll('a[href^=\"#\"]')).map(a => a.getAttribute('href'))"
        ".filter(h => !document.getElementById(decodeURIComponent(h.slice(1))))")
    assert dangling == []
    evidence = browser.find_element("css selector", "#covers td.quote a")
    quote = browser.find_element("css selector", "#covers blockquote.evidence").text.rstrip("…")
    evidence.click()
    target = browser.execute_script("return document.getElementById(decodeURIComponent(location.hash.slice(1)))")
    assert "target" in target.get_attribute("class")
    assert quote[:60] in " ".join(target.text.split())
    assert in_view(browser, target)
    missing = browser.find_elements("css selector", "#misses ul.missing li")
    okorad = tables.coverage[(tables.coverage.doc_id == "okorad") & tables.coverage.required & ~tables.coverage.covered]
    assert len(missing) == len(okorad)
    assert all("Expected:" in m.text and "Art." in m.text for m in missing)
    assert console_errors(browser) == []


def test_screenshots_of_the_overview_and_a_notice(browser, report):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    open_page(browser, report)
    overview = ARTEFACTS / "report-overview.png"
    notice = ARTEFACTS / "report-notice.png"
    assert browser.save_screenshot(str(overview))
    open_page(browser, report.parent / "notices" / "resultat24.html")
    assert browser.save_screenshot(str(notice))
    for path in (overview, notice):
        assert path.read_bytes().startswith(b"\x89PNG") and path.stat().st_size > 20_000
    assert console_errors(browser) == []




def test_a_report_of_126_notices_works_in_the_browser(browser, tables, tmp_path):
    """Past 60 notices the figures switch to sectors; contents, filters and notice pages still work."""
    import pandas as pd
    from selenium.webdriver.support.ui import Select

    from policylab.compare import REUSE_COLUMNS

    many = copies(tables, 6)
    path = write_report(many, tmp_path, progress=False, reuse=pd.DataFrame(columns=REUSE_COLUMNS))
    open_page(browser, path)
    assert shows(browser, 126)
    missing = browser.execute_script(
        "return Array.from(document.querySelectorAll('nav#toc a')).map(a => a.getAttribute('href'))"
        ".filter(h => !document.getElementById(decodeURIComponent(h.slice(1))))")
    assert missing == []
    # No figure taller than a screen or two (the old heatmap was 6,000 pixels).
    heights = browser.execute_script(
        "return Array.from(document.querySelectorAll('figure img')).map(i => Number(i.getAttribute('height')))")
    assert heights and all(0 < h < 2500 for h in heights), heights
    Select(browser.find_element("css selector", "#filters select[name=sector]")).select_by_value("S Other services")
    assert shows(browser, 6 * int((tables.documents["nace_section"] == "S").sum()))
    browser.find_element("partial link text", "Klarlinje 3").click()
    assert browser.find_element("tag name", "h1").text == "Klarlinje 3"
    assert browser.find_elements("css selector", "#covers blockquote.evidence")
    assert console_errors(browser) == []
