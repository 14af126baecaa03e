"""Dashboards end to end: the real hub, the real dashboards service (Voila), real Chromium.

A viewer logs in through the hub, opens the landing page and every published dashboard, changes
a filter and sees the output redrawn; screenshots go to tests/artifacts/dashboards/. A viewer of
one organisation cannot open another organisation's dashboard, an unpublished notebook,
JupyterLab or the Jupyter APIs; no code is shown; the kernel takes no code from the browser;
stewards review, reject and approve on the web.
"""
from __future__ import annotations

import json
import re
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

from agora.hub.launch import settings_env

pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "dashboards"
SERVICE = "/services/dashboards/"
RAJ_ONLY, DRAFT = "raj-theatres", "draft-ideas"


def published_env(hub) -> dict[str, str]:
    return {k: v for k, v in settings_env(hub.settings).items() if k.startswith("AGORA_")}


@pytest.fixture(scope="module")
def site(running_hub, small_store, tmp_path_factory):
    """The hub's store filled from the small synthetic feeds; the dashboard families published
    for the partnership, one dashboard for RAJ only and one submission left unreviewed."""
    hub = running_hub
    env = settings_env(hub.settings)
    agora = str(hub.settings.venv / "bin" / "agora")
    subprocess.run([agora, "ingest", "-q", str(small_store.feeds_dir)], env=env, check=True,
                   capture_output=True)
    from agora import publish
    from agora.dashboards.demo import families, publish_families
    from agora.publish import Actor
    nb = tmp_path_factory.mktemp("nb") / "raj.ipynb"
    nb.write_text(next(p for p in families() if p.stem == "uec_flow").read_text())
    steward = Actor(hub.name("stew"), frozenset({"steward"}), frozenset({"QH8"}))
    with pytest.MonkeyPatch.context() as mp:
        for k, v in published_env(hub).items():
            mp.setenv(k, v)
        slugs = publish_families(steward=hub.name("stew"))
        publish.submit(nb, title="RAJ theatres", description="Trust only", audience="RAJ",
                       slug=RAJ_ONLY, actor=steward)
        publish.approve(RAJ_ONLY, steward)
        publish.submit(nb, title="Draft ideas", description="Not reviewed", audience="partnership",
                       slug=DRAFT, actor=steward)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    wait_listed(hub, "vic", slugs)
    return {"hub": hub, "slugs": slugs}


def login(hub, short) -> requests.Session:
    """A requests session logged in through the hub's form, landing on the dashboards page."""
    session = requests.Session()
    session.get(f"{hub.url}/hub/login", timeout=30)
    r = session.post(f"{hub.url}/hub/login?next={SERVICE}", timeout=120,
                     data={"username": hub.name(short), "password": hub.password(short),
                           "_xsrf": session.cookies.get("_xsrf", "")})
    assert r.status_code == 200 and r.url.endswith(SERVICE), (r.status_code, r.url)
    return session


def wait_listed(hub, short, slugs, timeout=120):
    """Wait until the service lists every dashboard for `short` (the service is up)."""
    session = login(hub, short)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = session.get(hub.url + SERVICE, timeout=30)
        if r.status_code == 200 and all(f'data-slug="{s}"' in r.text for s in slugs):
            return
        time.sleep(1)
    pytest.fail(f"dashboards service did not list {slugs}: {r.status_code} {r.text[:300]}")


def browser_login(browser, hub, short):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login?next={SERVICE}")
    page.fill("#username_input", hub.name(short))
    page.fill("#password_input", hub.password(short))
    page.click("#login_submit")
    page.wait_for_load_state()
    return page


OUTPUT = ".agora-output"


def output_html(page) -> str:
    return page.inner_html(OUTPUT)


def test_viewer_opens_every_dashboard_and_filters_redraw(site, browser):
    hub, slugs = site["hub"], site["slugs"]
    page = browser_login(browser, hub, "vic")
    page.goto(hub.url + SERVICE)
    page.wait_for_selector("#dashboards")
    page.screenshot(path=str(ARTIFACTS / "landing.png"), full_page=True)
    listed = page.eval_on_selector_all("tr.dashboard", "rows => rows.map(r => r.dataset.slug)")
    assert sorted(listed) == sorted(slugs)              # not RAJ's, not the draft
    assert page.locator("#freshness").count() == 1
    for slug in slugs:
        page.goto(hub.url + SERVICE + f"voila/render/{slug}.ipynb", timeout=120_000)
        page.wait_for_selector(f"{OUTPUT} .agora-chart, {OUTPUT} .agora-nodata, {OUTPUT} table",
                               timeout=120_000)
        assert page.locator(".jp-CodeCell .jp-InputArea, .jp-InputArea-editor, .cm-editor, "
                            ".highlight").count() == 0
        assert "def draw" not in page.content() and "kit.Dashboard" not in page.content()
        page.screenshot(path=str(ARTIFACTS / f"{slug}.png"), full_page=True)
        before = output_html(page)
        select = [s for s in page.locator(".agora-filter select").all()   # site, PCN or org
                  if s.evaluate("s => s.options.length") > 1][-1]
        current = select.evaluate("s => s.selectedIndex")
        select.select_option(index=(current + 1) % select.evaluate("s => s.options.length"))
        page.wait_for_function(
            "([sel, before]) => document.querySelector(sel).innerHTML !== before",
            arg=[OUTPUT, before], timeout=180_000)
        assert output_html(page) != before, slug
        page.screenshot(path=str(ARTIFACTS / f"{slug}-filtered.png"), full_page=True)
    page.context.close()


def test_a_family_dashboard_draws_charts_from_the_store(site, browser):
    hub = site["hub"]
    page = browser_login(browser, hub, "vic")
    page.goto(hub.url + SERVICE + "voila/render/uec-flow.ipynb", timeout=120_000)
    page.wait_for_selector(f"{OUTPUT} .agora-chart svg", timeout=120_000)
    assert page.locator(f"{OUTPUT} .agora-chart svg").count() >= 2
    page.context.close()


FORBIDDEN = [f"voila/render/{RAJ_ONLY}.ipynb", f"voila/render/{DRAFT}.ipynb",
             "voila/render/..%2F..%2Fhub_config%2Forganisations.yaml",
             "voila/render/../published/uec-flow/v1.ipynb", "voila/tree", "voila/tree/",
             "voila/api/contents/", "voila/files/uec-flow.ipynb", "lab", "tree", "notebooks/x",
             "api/contents", "api/sessions", "api/terminals", "api/kernels", "files/uec-flow.ipynb",
             "nbconvert/html/uec-flow.ipynb", "review"]


def test_viewer_cannot_reach_other_orgs_unpublished_lab_or_apis(site):
    hub = site["hub"]
    vic = login(hub, "vic")
    for path in FORBIDDEN:
        r = vic.get(hub.url + SERVICE + path, timeout=60, allow_redirects=False)
        assert r.status_code in (403, 404), (path, r.status_code)
    r = vic.post(hub.url + SERVICE + "api/kernels", timeout=30, allow_redirects=False)
    assert r.status_code in (403, 404, 405)
    # a member of RAJ opens RAJ's dashboard
    ana = login(hub, "ana")
    r = ana.get(hub.url + SERVICE + f"voila/render/{RAJ_ONLY}.ipynb", timeout=120)
    assert r.status_code == 200 and "agora-output" in r.text


def test_anonymous_visitors_are_sent_to_the_hub_login(site):
    hub = site["hub"]
    r = requests.get(hub.url + SERVICE + "voila/render/uec-flow.ipynb", timeout=30)
    assert "/hub/login" in r.url


def test_the_kernel_takes_no_code_from_the_browser(site):
    import websocket
    hub = site["hub"]
    token = hub.token("vic")
    page = requests.get(hub.url + SERVICE + "voila/render/uec-flow.ipynb", timeout=120,
                        headers={"Authorization": f"token {token}"})
    kernel_id = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page.text).group(1)
    ws = websocket.create_connection(
        hub.url.replace("http", "ws", 1) + SERVICE + f"api/kernels/{kernel_id}/channels",
        header=[f"Authorization: token {token}"], timeout=10)
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({
        "header": {"msg_id": msg_id, "username": "x", "session": uuid.uuid4().hex,
                   "msg_type": "execute_request", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": "open('/tmp/agora-dash-pwned', 'w')", "silent": False}}))
    replies = []
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            msg = json.loads(ws.recv())
        except websocket.WebSocketTimeoutException:
            break
        if msg.get("parent_header", {}).get("msg_id") == msg_id:
            replies.append(msg["msg_type"])
    ws.close()
    assert replies == []
    assert not Path("/tmp/agora-dash-pwned").exists()


def test_steward_reviews_rejects_and_approves_on_the_web(site, browser):
    hub = site["hub"]
    page = browser_login(browser, hub, "stew")
    page.goto(hub.url + SERVICE + "review")
    page.wait_for_selector("#pending")
    assert DRAFT in page.inner_text("#pending")
    page.click(f"#pending a[href$='/review/{DRAFT}/1']")
    page.wait_for_selector("#diff")
    assert "first version" in page.inner_text("#diff")
    page.screenshot(path=str(ARTIFACTS / "review.png"), full_page=True)
    page.click("#reject button")                       # no comment: refused with a message
    page.wait_for_selector("#error")
    assert "comment is required" in page.inner_text("#error")
    page.fill("#reject input[name=comment]", "needs a clearer title")
    page.click("#reject button")
    page.wait_for_selector("#pending")
    assert DRAFT not in page.inner_text("#pending")
    # a viewer is refused the same page and its form posts
    vic = login(hub, "vic")
    assert vic.get(hub.url + SERVICE + "review", timeout=30).status_code == 403
    assert vic.post(hub.url + SERVICE + f"review/{DRAFT}/1", data={"action": "approve"},
                    timeout=30).status_code == 403
    # a new submission approved on the web is served; a web rollback serves the old version
    from agora import publish
    from agora.dashboards.demo import families
    from agora.publish import Actor, store
    steward = Actor(hub.name("stew"), frozenset({"steward"}), frozenset({"QH8"}))
    with pytest.MonkeyPatch.context() as mp:
        for k, v in published_env(hub).items():
            mp.setenv(k, v)
        nb = families()[0]
        publish.submit(nb, title="Draft ideas", description="Second try", audience="partnership",
                       slug=DRAFT, actor=steward)
        publish.submit(nb, title="RAJ theatres", description="v2", audience="RAJ",
                       slug=RAJ_ONLY, actor=steward)
        publish.approve(RAJ_ONLY, steward)
        page.goto(hub.url + SERVICE + f"review/{DRAFT}/2")
        page.fill("#approve input[name=comment]", "clear now")
        page.click("#approve button")
        page.wait_for_selector("#published")
        assert store.read_meta(DRAFT)["current"] == 1
        assert f'data-slug="{DRAFT}"' in vic.get(hub.url + SERVICE, timeout=30).text
        page.select_option(f"form[action$='/review/{RAJ_ONLY}/rollback'] select", "1")
        page.click(f"form[action$='/review/{RAJ_ONLY}/rollback'] button")
        page.wait_for_selector("#published")
        assert store.read_meta(RAJ_ONLY)["current"] == 1
    page.context.close()


def test_dashboard_kernels_see_neither_hub_credentials_nor_the_key(site):
    import psutil
    hub = site["hub"]
    port = hub.settings.dashboards_port
    server = next(psutil.Process(c.pid) for c in psutil.net_connections("tcp")
                  if c.status == "LISTEN" and c.laddr.port == port and c.pid)
    kernels = [p for p in server.children(recursive=True) if "ipykernel" in " ".join(p.cmdline())]
    assert kernels, "no dashboard kernels running"
    for p in [server, *kernels]:
        env = p.environ()
        assert not any(k.startswith("JUPYTERHUB_") for k in env if p is not server), p.pid
        assert "AGORA_KEY_FILE" not in env
    assert "AGORA_DATA_DIR" in kernels[0].environ()
