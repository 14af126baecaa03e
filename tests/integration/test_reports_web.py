"""The reports web service behind the real hub login: each person sees only what their
organisation may see; stewards see everything."""
from __future__ import annotations

import pytest
import requests

from agora.reports.manual import manual_runs
from agora.reports.scheduler import Scheduler
from reports_helpers import FIXTURES, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def published(running_hub):
    """Three reports in the hub's data directory: for the partnership, RAJ and QH8."""
    mp = pytest.MonkeyPatch()
    mp.setenv("AGORA_DATA_DIR", str(running_hub.settings.data_dir))
    mp.setenv("AGORA_HUB_CONFIG_DIR", str(running_hub.settings.hub_config_dir))
    mp.setenv("AGORA_TEMPLATES_DIR", str(FIXTURES))
    mp.setenv("AGORA_REPORTS_SCHEDULE", str(FIXTURES / "no-schedule.yaml"))
    mp.setenv("AGORA_REPORTS_RETRIES", "0")
    try:
        with Scheduler(workers=2) as s:
            claimed = [s.claim_manual(r) for audience, label in
                       (("partnership", "everyone"), ("RAJ", "trustonly"), ("QH8", "icbonly"))
                       for r in manual_runs("empty", [f"label={label}"], audience)]
            claimed += [s.claim_manual(r) for r in manual_runs("raises", [], "RAJ")]
            outcomes = s.run_claimed(claimed)
        assert [o.status for o in outcomes] == ["succeeded"] * 3 + ["failed"]
        yield {o.output_dir.split("/reports/", 1)[1].split("/")[0]: o.output_dir
               for o in outcomes[:3]}
    finally:
        mp.undo()


def login(hub, who):
    """Log in through the hub's form, landing on the reports service (viewers have no server
    of their own, so the hub's home page would refuse them)."""
    session = requests.Session()
    session.get(f"{hub.url}/hub/login", timeout=30)
    r = session.post(f"{hub.url}/hub/login?next=/services/reports/", timeout=60,
                     data={"username": hub.name(who), "password": hub.password(who),
                           "_xsrf": session.cookies.get("_xsrf", "")})
    assert "/hub/login" not in r.url, f"login of {who} refused ({r.status_code})"
    return session


def page(hub, who, path=""):
    session = login(hub, who)
    url = f"{hub.url}/services/reports/{path}"
    return session, wait_for(lambda: _get(session, url), timeout=60)


def _get(session, url):
    r = session.get(url, timeout=30)
    return r if r.status_code != 502 and r.status_code != 503 else None


def test_a_person_sees_only_their_organisations_reports(running_hub, published):
    _, r = page(running_hub, "ana", "api/catalog")          # RAJ analyst
    assert r.status_code == 200
    assert {x["audience"] for x in r.json()} == {"partnership", "RAJ"}
    _, r = page(running_hub, "vic", "api/catalog")          # QH8 viewer
    assert {x["audience"] for x in r.json()} == {"partnership", "QH8"}
    _, r = page(running_hub, "stew", "api/catalog")         # steward: everything (the shared
    audiences = {x["audience"] for x in r.json()}           # hub may hold others' reports too)
    assert audiences >= {"partnership", "RAJ", "QH8"}
    session, r = page(running_hub, "ana")
    assert r.status_code == 200 and "Latest reports" in r.text
    assert "trustonly" in r.text and "icbonly" not in r.text
    assert "/view/RAJ/" in r.text and "/view/QH8/" not in r.text


def test_report_pages_are_served_only_to_their_audience(running_hub, published):
    raj = published["RAJ"].split("/reports/", 1)[1]          # RAJ/<slug>/<time>
    qh8 = published["QH8"].split("/reports/", 1)[1]
    session, r = page(running_hub, "ana", f"view/{raj}/")
    assert r.status_code == 200 and "Fixture report" in r.text
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert session.get(f"{running_hub.url}/services/reports/view/{qh8}/", timeout=30
                       ).status_code == 404
    # the notebook (with code) is for stewards only
    assert session.get(f"{running_hub.url}/services/reports/view/{raj}/report.ipynb",
                       timeout=30).status_code == 404
    steward, r = page(running_hub, "stew", f"view/{raj}/report.ipynb")
    assert r.status_code == 200 and r.json()["cells"]
    assert steward.get(f"{running_hub.url}/services/reports/view/{qh8}/", timeout=30
                       ).status_code == 200


@pytest.mark.parametrize("path", [
    "view/..%2F..%2Fetc/passwd/x/", "view/RAJ/../../_history/x/", "view/_history/x/y/",
    "view/RAJ/a/b/../../../../etc/passwd", "past/_work/x/", "view/RAJ/" + "a" * 300 + "/b/",
    "view/RAJ/x/y/history.sqlite", "history?limit=abc",
])
def test_hostile_paths_get_nothing(running_hub, published, path):
    session, _ = page(running_hub, "stew", "health")
    r = session.get(f"{running_hub.url}/services/reports/{path}", timeout=30)
    assert r.status_code >= 400           # 404 from the service, or no route from the proxy
    assert "root:" not in r.text and "SQLite" not in r.text and "Traceback" not in r.text


def test_history_hides_error_text_from_non_stewards(running_hub, published):
    _, r = page(running_hub, "ana", "history?format=json")
    rows = r.json()
    assert {x["audience"] for x in rows} <= {"partnership", "RAJ"}
    failed = [x for x in rows if x["status"] == "failed"]
    assert failed and "error" not in failed[0]
    _, r = page(running_hub, "stew", "history?format=json")
    failed = [x for x in r.json() if x["status"] == "failed"]
    assert failed[0]["error"] == "ZeroDivisionError: division by zero"
    _, r = page(running_hub, "stew", "history")
    assert "ZeroDivisionError" in r.text


def test_anonymous_visitors_are_sent_to_the_hub_login(running_hub, published):
    r = requests.get(f"{running_hub.url}/services/reports/api/catalog", timeout=30,
                     allow_redirects=True)
    assert "/hub/login" in r.url
