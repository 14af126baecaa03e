"""The static catalogue in a real headless Chromium, offline: the search box filters entries."""
from __future__ import annotations


import pytest

from agora import model
from agora.catalogue import all_entries, build

pytestmark = pytest.mark.slow



@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build(tmp_path_factory.mktemp("catalogue")).as_uri()




@pytest.fixture
def page(browser):
    ctx = browser.new_context()
    requests, errors = [], []
    ctx.route("**/*", lambda r: (requests.append(r.request.url), r.continue_()
                                 if r.request.url.startswith("file://") else r.abort()))
    p = ctx.new_page()
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield p
    assert all(u.startswith("file://") for u in requests), "no request leaves the machine"
    assert not errors, errors
    ctx.close()


def visible(page) -> list[str]:
    return page.eval_on_selector_all(".entry:not(.hidden)", "els => els.map(e => e.id)")


def test_search_filters_entries(page, site):
    page.goto(site)
    assert len(visible(page)) == len(all_entries())
    page.fill("#search", "arrival_at")
    shown = visible(page)
    assert "table-ae_attendance" in shown and "table-person" not in shown
    assert "of" in page.text_content("#count")
    page.fill("#search", "frailty eFI")        # every word must match
    assert "measure-efi" in visible(page)
    page.fill("#search", "zzzz-no-such-thing")
    assert visible(page) == [] and page.text_content("#count").startswith("0 of")
    page.fill("#search", "")
    assert len(visible(page)) == len(all_entries())


def test_hostile_query_is_only_text(page, site):
    page.goto(site)
    page.fill("#search", "<img src=x onerror=alert(1)> \"'; --")
    assert visible(page) == [] and page.locator("img").count() == 0


def test_query_in_the_address_prefills_the_search(page, site):
    page.goto(site + "?q=person_risk")
    assert page.input_value("#search") == "person_risk"
    shown = visible(page)
    assert "table-person_risk" in shown and len(shown) < len(model.TABLES)
