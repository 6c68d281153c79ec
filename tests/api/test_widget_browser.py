"""The search box in a real browser: Debian's chromium, driven by Playwright,
on pages of a "host site" served from its own port, so the box is embedded
cross-origin as on a real site, and talking to the API served by gunicorn over
a real index: the demo articles plus a hostile one.

Screenshots of the main states are saved in each test's tmp_path.
"""

import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from index.writer import build
from tests.api.conftest import serving
from tests.conftest import DATA

CHROMIUM = Path("/usr/bin/chromium")
#: No sandbox (tests may run as root, which chromium's sandbox refuses), and
#: nothing that would reach the network on its own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000
VIEWPORT = {"width": 860, "height": 900}

#: Markup in every field, a javascript: address and an emoji before a match
#: (the API's offsets count code points, JavaScript's UTF-16 units).
HOSTILE = {
    "id": "hostile-1",
    "lang": "de",
    "title": "Warnung <script>alert(1)</script> vor Schadcode",
    "body": 'Ein Test mit Schadcode: <img src=x onerror="window.__xss=1"> und <script>window.__xss=2</script> '
    "sowie &amp; 🙂 Schadcode im Text.\n\nDer zweite Absatz nennt den Schadcode noch einmal.",
    "url": "javascript:window.__xss=3",
    "source": '<b onmouseover="window.__xss=4">Quelle</b>',
    "date": "2024-12-01",
}
#: The rules a hostile or careless host page might have.
AGGRESSIVE_CSS = """
* { font-family: serif !important; color: red !important; margin: 50px !important; line-height: 3 !important; }
input, button, ol, li, mark { display: none !important; }
html { font-size: 40px !important; }
"""

ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>'

expect.set_options(timeout=TIMEOUT_MS)


# -- the servers and the browser -----------------------------------------------


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """gunicorn serving the demo articles and the hostile one."""
    folder = tmp_path_factory.mktemp("widget-api")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE, ensure_ascii=False) + "\n", encoding="utf-8")
    build([DATA, hostile], folder / "index")
    with serving(folder / "index", folder / "gunicorn.log") as server:
        yield server


class _HostHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        found = self.server.files.get(self.path)
        if found is None:
            self.send_error(404)
            return
        body, content_type, headers = found
        self.send_response(200)
        for name, value in {"Content-Type": content_type, "Content-Length": str(len(body)), **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass  # no request lines in the test output


class HostSite:
    """A site that embeds the box: files served from a thread on a port of its own."""

    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _HostHandler)
        self.server.files = {}
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def add(self, path, text, content_type="text/html; charset=utf-8", headers=None):
        self.server.files[path] = (text.encode("utf-8"), content_type, headers or {})
        return self.url + path

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture(scope="module")
def site():
    host = HostSite()
    yield host
    host.close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it as root, or `apt-get install -y chromium`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


#: Records Content-Security-Policy violations where the test can read them;
#: injected by the browser, so the page's own policy does not apply to it.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
    (event) => window.__violations.push(event.violatedDirective + " " + event.blockedURI), true);
"""


class Console:
    """Errors a page logs or throws, and the CSP violations it causes."""

    def __init__(self, page):
        self.page = page
        self.errors = []
        page.on("console", self._on_message)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _on_message(self, message):
        if message.type == "error":
            self.errors.append(f"{message.text} ({message.location.get('url')})")

    def problems(self):
        return self.errors + self.page.evaluate("window.__violations")


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(RECORD_VIOLATIONS)
    yield context.new_page()
    context.close()


@pytest.fixture
def console(page):
    return Console(page)


# -- pages and boxes -----------------------------------------------------------


def box_html(box_id, **options):
    """``<div data-news-search …>``; option names as in Python (``ui_lang``)."""
    attributes = "".join(f' data-{name.replace("_", "-")}="{value}"' for name, value in options.items())
    return f'<div id="{box_id}" data-news-search{attributes}></div>'


def visit(page, site, api, *boxes, name="page", headers=None, stylesheet=None):
    """Open a host-site page with these boxes and the script tag of the snippet."""
    # An icon of its own, or the browser asks for /favicon.ico and logs the 404.
    link = f'<link rel="icon" href="{site.add("/icon.svg", ICON, "image/svg+xml")}">'
    if stylesheet is not None:
        link += f'<link rel="stylesheet" href="{site.add(f"/{name}.css", stylesheet, "text/css")}">'
    html = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A news site</title>{link}</head>'
        f"<body><h1>A news site</h1>{''.join(boxes)}"
        f'<script src="{api.url}/widget.js" async></script></body></html>'
    )
    page.goto(site.add(f"/{name}.html", html, headers=headers))


class Box:
    """One search box on a page, found through its (open) shadow root."""

    def __init__(self, page, selector):
        self.host = page.locator(selector)
        self.input = self.host.get_by_role("combobox")
        self.listbox = self.host.locator("[role=listbox]")
        self.options = self.host.get_by_role("option")
        self.status = self.host.get_by_role("status")
        self.results = self.host.locator("li.result")
        self.chips = self.host.locator(".chip")
        self.retry = self.host.locator("button.retry")
        self.notice = self.host.locator(".notice")

    def search(self, query, status=None):
        """Type ``query``, press Enter, and wait for the answer (or ``status``)."""
        self.input.fill(query)
        self.input.press("Enter")  # the search starts at once: the box is busy until it is answered
        expect(self.host.locator(".busy")).to_have_count(0)
        if status is not None:
            expect(self.status).to_have_text(status)

    def type(self, text):
        self.input.press_sequentially(text, delay=40)

    def eval(self, script):
        """``script`` is the body of a function of the shadow root."""
        return self.host.evaluate(f"(host) => {{ const root = host.shadowRoot; {script} }}")


def screenshot(target, tmp_path, name):
    target.screenshot(path=tmp_path / f"{name}.png")


# -- typing, suggestions and the keyboard ----------------------------------------


def test_suggestions_as_you_type_and_the_keyboard_picks_one(page, console, site, api, tmp_path):
    visit(page, site, api, box_html("box"))
    box = Box(page, "#box")
    expect(page.get_by_role("combobox", name="Search news")).to_be_visible()
    box.type("Bel")
    expect(box.listbox).to_be_visible()
    expect(box.options).to_have_text(["Belousov", "Belousow", "Belouszov"])
    expect(box.input).to_have_attribute("aria-expanded", "true")
    expect(box.input).to_have_attribute("aria-controls", box.listbox.get_attribute("id"))
    screenshot(page, tmp_path, "suggestions")

    box.input.press("ArrowDown")
    box.input.press("ArrowDown")
    box.input.press("ArrowUp")
    first = box.options.first
    expect(box.input).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box.options.nth(1)).to_have_attribute("aria-selected", "false")
    box.input.press("Enter")

    expect(box.input).to_have_value("Belousov")
    expect(box.input).to_have_attribute("aria-expanded", "false")
    expect(box.listbox).to_be_hidden()
    # Belousov, and Μπελούσοφ and Belouszov through their cross-script key
    expect(box.status).to_have_text("3 results for “Belousov”.")
    expect(box.results.locator("mark").first).to_have_text(re.compile(r"^Belouso[vw]$"))
    expect(box.results.get_by_role("link")).to_have_attribute("href", re.compile(r"^https://dantri\.com\.vn/"))
    assert console.problems() == []


def test_up_from_nothing_goes_to_the_last_suggestion_and_a_click_picks(page, console, site, api):
    visit(page, site, api, box_html("box"))
    box = Box(page, "#box")
    box.type("Bel")
    expect(box.options).to_have_count(3)
    box.input.press("ArrowUp")
    expect(box.options.last).to_have_attribute("aria-selected", "true")
    box.options.nth(1).click()
    expect(box.input).to_have_value("Belousow")
    expect(box.input).to_be_focused()
    expect(box.status).to_have_text("3 results for “Belousow”.")
    assert console.problems() == []


def test_escape_closes_then_clears_and_tab_moves_on(page, console, site, api):
    visit(page, site, api, box_html("box"))
    box = Box(page, "#box")
    box.type("Bel")
    expect(box.listbox).to_be_visible()
    box.input.press("Escape")
    expect(box.listbox).to_be_hidden()
    expect(box.input).to_have_attribute("aria-expanded", "false")
    expect(box.input).to_have_value("Bel")
    box.input.press("Escape")
    expect(box.input).to_have_value("")

    box.type("Bel")
    expect(box.listbox).to_be_visible()
    box.input.press("Tab")
    expect(box.listbox).to_be_hidden()
    expect(box.host.get_by_role("button", name="Search")).to_be_focused()
    assert console.problems() == []


# -- results ---------------------------------------------------------------------


def test_results_show_marked_passages_language_date_and_source(page, console, site, api, tmp_path):
    visit(page, site, api, box_html("box"))
    box = Box(page, "#box")
    box.search("Κορέα", status="5 results for “Κορέα”.")
    expect(box.results).to_have_count(5)
    for result in box.results.all():
        marks = result.locator(".passage mark").all_text_contents()
        # Észak-Korea and Nordkorea are marked through the cross-script key
        assert marks and all(mark.startswith(("Κορέ", "Korea", "Nordkorea")) for mark in marks), marks
        assert result.locator(".meta").text_content().startswith(("Greek · ", "Hungarian · ", "German · "))
    # Of these demo articles only the German one (Nordkorea) has an address: one link.
    expect(box.results.locator("a")).to_have_count(1)
    expect(box.results.locator("a")).to_have_attribute("href", re.compile(r"^https://dantri\.com\.vn/"))
    # The headline's words are marked too, inflected forms included.
    expect(box.results.first.locator(".heading mark")).to_have_text("Κορέας")
    expect(box.results.locator("time", has_text="Apr 28, 2025")).to_have_count(1)
    box.host.screenshot(path=tmp_path / "results.png")
    assert console.problems() == []


def test_language_chips_filter_and_show_the_counts(page, console, site, api, tmp_path):
    visit(page, site, api, box_html("box"))
    box = Box(page, "#box")
    box.search("Kim OR Putin OR Κορέα", status="5 results for “Kim OR Putin OR Κορέα”.")
    expect(box.host.get_by_role("group", name="Filter by language")).to_be_visible()
    chips = ["Greek3", "German1", "Hungarian1", "Russian1"]
    expect(box.chips).to_have_text(chips)
    expect(box.chips.first).to_have_attribute("aria-pressed", "false")
    expect(box.chips.first).to_have_accessible_name("Greek, 3 results")

    german = box.chips.nth(1)
    german.click()
    expect(german).to_have_attribute("aria-pressed", "true")
    expect(box.status).to_have_text("1 result for “Kim OR Putin OR Κορέα”.")
    expect(box.results.locator("[lang]").first).to_have_attribute("lang", "de")
    expect(box.chips).to_have_text(chips)  # the counts are those of the whole query
    expect(german).to_be_focused()
    screenshot(box.host, tmp_path, "chips")

    german.press("Enter")  # a chip is a toggle button: the keyboard works it too
    expect(german).to_have_attribute("aria-pressed", "false")
    expect(box.results).to_have_count(5)
    assert console.problems() == []


def test_did_you_mean_runs_the_corrected_query(page, console, site, api):
    visit(page, site, api, box_html("box"))
    box = Box(page, "#box")
    box.search("Belousiw")
    link = box.notice.get_by_role("button", name="Belousow")
    expect(box.notice).to_have_text("Did you mean:Belousow")
    link.click()
    expect(box.input).to_have_value("Belousow")
    expect(box.input).to_be_focused()
    expect(box.status).to_have_text("3 results for “Belousow”.")
    expect(box.notice).to_be_hidden()
    assert console.problems() == []


def test_no_results(page, console, site, api, tmp_path):
    visit(page, site, api, box_html("box"))
    box = Box(page, "#box")
    box.search("Zwiebelkuchen", status="No results for “Zwiebelkuchen”.")
    expect(box.notice).to_have_text("Check the spelling, or try fewer or other words.")
    expect(box.results).to_have_count(0)
    screenshot(box.host, tmp_path, "empty")
    assert console.problems() == []


def test_partial_matches_are_announced(page, console, site, api):
    visit(page, site, api, box_html("box"))
    box = Box(page, "#box")
    box.search(
        "Belousow Pjöngjang",
        status="5 results for “Belousow Pjöngjang”. 2 with all the words, then the closest matches.",
    )
    box.search(
        "Belousow Zwiebelkuchen",
        status="3 results for “Belousow Zwiebelkuchen”. No article has all the words: showing the closest matches.",
    )
    assert console.problems() == []


def test_more_results_appends_the_next_page(page, console, site, api):
    visit(page, site, api, box_html("box", per_page=3))
    box = Box(page, "#box")
    box.search("Κορέα", status="5 results for “Κορέα”.")
    expect(box.results).to_have_count(3)
    more = box.host.get_by_role("button", name="More results")
    more.evaluate("(button) => { button.click(); button.click(); }")  # a double click loads one page
    expect(box.results).to_have_count(5)
    expect(box.status).to_have_text("Showing 5 of 5.")
    expect(more).to_be_hidden()
    # The keyboard goes on where the new results start.
    expect(box.results.nth(3).locator(".heading")).to_be_focused()
    assert console.problems() == []


# -- several boxes ---------------------------------------------------------------


def test_boxes_on_one_page_are_independent(page, console, site, api):
    visit(page, site, api, box_html("first"), box_html("second", ui_lang="de", languages="de,hu"))
    first, second = Box(page, "#first"), Box(page, "#second")
    first.search("Κορέα", status="5 results for “Κορέα”.")
    # the German article, and the Greek ones through the translations of its parts (υπουργός Άμυνας)
    second.search("Verteidigungsminister", status="4 Ergebnisse für „Verteidigungsminister“.")
    expect(first.results).to_have_count(5)
    expect(second.results).to_have_count(4)
    expect(second.input).to_have_accessible_name("Nachrichten durchsuchen")
    expect(second.results.first.locator("time")).to_have_text("29.11.2024, 15:42")
    expect(second.chips).to_have_text(["Deutsch1"])
    first.type(" Bel")  # typing in one box opens no list in the other
    expect(second.listbox).to_be_hidden()
    assert first.listbox.get_attribute("id") != second.listbox.get_attribute("id")
    assert console.problems() == []


def test_boxes_added_later_are_mounted(page, console, site, api):
    visit(page, site, api, box_html("first"))
    Box(page, "#first").input.wait_for()
    # A box the page adds (the MutationObserver), and one mounted by hand.
    page.evaluate(
        """() => {
            document.body.insertAdjacentHTML("beforeend", '<div id="added" data-news-search data-ui-lang="hu"></div>');
            const section = document.createElement("section");
            section.id = "by-hand";
            document.body.append(section);
            NewsSearch.mount(section);
        }"""
    )
    Box(page, "#added").search("Kim", status="3 találat erre: „Kim”.")  # Kim, Κιμ
    Box(page, "#by-hand").search("Putin", status="4 results for “Putin”.")  # Putin, Πούτιν, Putyin
    assert console.problems() == []


# -- safety and isolation ----------------------------------------------------------


def test_a_hostile_article_is_shown_as_text_and_runs_nothing(page, console, site, api, tmp_path):
    visit(page, site, api, box_html("box"))
    box = Box(page, "#box")
    box.type("Scha")
    expect(box.options.first).to_have_text(HOSTILE["title"])
    box.input.press("Escape")
    box.search("Schadcode", status="1 result for “Schadcode”.")
    result = box.results.first
    expect(result.locator(".heading")).to_have_text(HOSTILE["title"])
    expect(result.locator(".heading mark")).to_have_text("Schadcode")
    expect(result.locator(".passage").first).to_contain_text('<img src=x onerror="window.__xss=1"> und <script>')
    expect(result.locator(".passage").first).to_contain_text("sowie &amp; 🙂 Schadcode")
    # Marks in the right places after the emoji (offsets in code points).
    expect(result.locator(".passage mark")).to_have_text(["Schadcode"] * 3)
    expect(result.locator(".meta")).to_contain_text(HOSTILE["source"])
    # A javascript: address gets no link.
    expect(result.locator("a")).to_have_count(0)
    assert box.eval("return root.querySelectorAll('img, script, b, [onerror], [onmouseover]').length") == 0
    result.locator(".heading").click()
    result.locator(".meta").hover()
    screenshot(box.host, tmp_path, "hostile")
    assert page.evaluate("window.__xss") is None
    assert console.problems() == []


def test_strict_csp_and_aggressive_css_on_the_host_page(page, console, site, api, tmp_path):
    policy = (
        f"default-src 'none'; script-src {api.url}; connect-src {api.url}; style-src 'self'; img-src 'self'; "
        "require-trusted-types-for 'script'"
    )
    visit(page, site, api, box_html("box"), name="strict", headers={"Content-Security-Policy": policy},
          stylesheet=AGGRESSIVE_CSS)
    assert page.locator("h1").evaluate("(h1) => getComputedStyle(h1).color") == "rgb(255, 0, 0)"  # the rules apply
    box = Box(page, "#box")
    expect(box.input).to_be_visible()
    box.type("Bel")
    expect(box.options).to_have_count(3)
    box.input.press("Escape")
    box.search("Κορέα", status="5 results for “Κορέα”.")
    expect(box.results.locator("mark").first).to_be_visible()
    style = box.eval(
        """const style = (selector, property) => getComputedStyle(root.querySelector(selector))[property];
        return {
            sheets: root.adoptedStyleSheets.length,
            inputFont: style("input", "fontFamily"),
            inputSize: style("input", "fontSize"),
            passageColor: style(".passage", "color"),
            resultMargin: style("li.result", "marginTop"),
            markDisplay: style("mark", "display"),
        };"""
    )
    assert style == {
        "sheets": 1,
        "inputFont": style["inputFont"],
        "inputSize": "16px",
        "passageColor": "rgb(31, 35, 40)",
        "resultMargin": "0px",
        "markDisplay": "inline",
    }
    assert "serif" not in style["inputFont"].replace("sans-serif", "")
    screenshot(page, tmp_path, "csp-host")
    assert console.problems() == []


def test_without_constructable_stylesheets_a_style_element_is_used(page, console, site, api):
    page.add_init_script("delete CSSStyleSheet.prototype.replaceSync;")
    visit(page, site, api, box_html("box"))
    box = Box(page, "#box")
    box.input.wait_for()
    assert box.eval("return [root.adoptedStyleSheets.length, root.querySelectorAll('style').length]") == [0, 1]
    expect(box.input).to_have_css("border-radius", "6px")
    assert console.problems() == []


# -- failures --------------------------------------------------------------------


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_api_shows_an_error_and_a_retry_button(page, site, api, tmp_path):
    visit(page, site, api, box_html("box", endpoint=f"http://127.0.0.1:{closed_port()}"))
    box = Box(page, "#box")
    box.search("Κορέα", status="The search service cannot be reached.")
    expect(box.retry).to_be_visible()
    expect(box.status).to_have_class("status error")
    screenshot(box.host, tmp_path, "error")
    box.retry.click()
    expect(box.input).to_be_focused()
    expect(box.status).to_have_text("The search service cannot be reached.")
    box.search("Kim", status="The search service cannot be reached.")  # never frozen


def test_an_api_that_does_not_answer_times_out(page, site, api):
    page.clock.install()
    page.route(f"{api.url}/api/search?*", lambda route: None)  # never answered
    visit(page, site, api, box_html("box"))
    box = Box(page, "#box")
    box.input.fill("Κορέα")
    box.input.press("Enter")
    expect(box.status).to_have_text("Searching…")
    page.clock.run_for(11_000)
    expect(box.status).to_have_text("The search service did not answer in time.")
    expect(box.retry).to_be_visible()


def test_retry_after_a_server_error_shows_the_results(page, console, site, api):
    visit(page, site, api, box_html("box"))
    box = Box(page, "#box")
    error = {"error": {"status": 503, "message": "No search index has been built yet."}}
    page.route(f"{api.url}/api/search?*", lambda route: route.fulfill(status=503, json=error))
    box.search("Κορέα", status="The search failed (error 503).")
    page.unroute(f"{api.url}/api/search?*")
    box.retry.click()
    expect(box.status).to_have_text("5 results for “Κορέα”.")
    expect(box.retry).to_be_hidden()
    assert [e for e in console.problems() if "503" not in e] == []


@pytest.fixture
def limited_api(api, tmp_path):
    """The same index served with a rate limit of 4 requests per 8 s (one more every 2 s) in each
    of gunicorn's two workers."""
    with serving(api.index_dir, tmp_path / "gunicorn.log", {"RATE_LIMIT": 4, "RATE_LIMIT_PERIOD": 8}) as server:
        yield server


def test_over_the_rate_limit_says_when_to_retry_and_then_retries(page, console, site, limited_api):
    visit(page, site, limited_api, box_html("box"))
    box = Box(page, "#box")
    # Different queries: the browser may answer a repeated one from its cache.
    for query in ["Κορέα", "Kim", "Korea", "Lawrow", "Belousow", "Kurszk", "Pjöngjang", "Μόσχα", "Moskau", "Putin"]:
        box.search(query)
        if "Too many" in box.status.text_content():
            break
    expect(box.status).to_have_text(re.compile(r"^Too many searches from your network just now: try again in [12] s\.$"))
    expect(box.status).to_have_class("status error")
    # Disabled until the server's Retry-After has passed, then it runs the search again.
    expect(box.retry).to_be_visible()
    expect(box.retry).to_be_disabled()
    expect(box.retry).to_be_enabled(timeout=5_000)
    box.retry.click()
    expect(box.status).to_have_text(re.compile(rf"results? for “{query}”\.$"))
    assert [e for e in console.problems() if "429" not in e] == []


def test_a_query_the_api_refuses_says_why_without_retry(page, console, site, api):
    visit(page, site, api, box_html("box"))
    box = Box(page, "#box")
    box.search("*orea")
    expect(box.status).to_contain_text("This cannot be searched: ")
    expect(box.status).to_contain_text("wildcard")
    expect(box.retry).to_be_hidden()
    assert [e for e in console.problems() if "400" not in e] == []


# -- the demo page -------------------------------------------------------------------


def test_the_demo_page_works_under_its_own_policy(page, console, api, tmp_path):
    page.goto(api.url + "/")
    expect(page.locator("pre")).to_contain_text(f'<div data-news-search data-endpoint="{api.url}"></div>')
    expect(page.get_by_role("link", name="API documentation")).to_have_attribute("href", "/api/docs")
    box = Box(page, "[data-news-search]")
    box.search("Κορέα", status="5 results for “Κορέα”.")
    screenshot(page, tmp_path, "demo")
    assert console.problems() == []
