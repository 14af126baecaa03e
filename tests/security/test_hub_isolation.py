"""An analyst's kernel cannot reach another organisation's folder, the pseudonymisation key,
the restricted snapshot, quarantine or raw feeds, and cannot write the store."""
from __future__ import annotations

import grp
import os
import pwd
import stat

import pytest
import requests

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def hub(running_hub):
    running_hub.start("ana")
    s = running_hub.settings
    # the key as the pseudonymisation module creates it: 0600 root, outside the data directory
    fd = os.open(s.key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.write(fd, b"synthetic-test-key-" + b"0" * 13)
    os.close(fd)
    (s.quarantine_dir / "bad_rows.csv").write_text("nhs_number,name\n9990000018,Test Person\n")
    (s.feeds_dir / "ae.csv").write_text("nhs_number,postcode\n9990000018,SS1 1AA\n")
    (s.orgs_dir / "QH8" / "plan.txt").write_text("QH8 only")
    return running_hub


def denied(hub, code: str) -> str | None:
    result = hub.run("ana", code)
    return result.error


@pytest.mark.parametrize("what", ["key", "restricted", "quarantine", "feeds", "other_org"])
def test_analyst_cannot_read(hub, what):
    s = hub.settings
    paths = {
        "key": s.key_file,
        "restricted": s.store_dir / "current" / "restricted.duckdb",
        "quarantine": s.quarantine_dir / "bad_rows.csv",
        "feeds": s.feeds_dir / "ae.csv",
        "other_org": s.orgs_dir / "QH8" / "plan.txt",
    }
    error = denied(hub, f"open({str(paths[what])!r}, 'rb').read()")
    assert error is not None and error.startswith("PermissionError"), error


def test_analyst_cannot_list_another_organisations_folder(hub):
    error = denied(hub, f"import os; os.listdir({str(hub.settings.orgs_dir / 'QH8')!r})")
    assert error.startswith("PermissionError"), error


def test_analyst_cannot_write_the_store(hub):
    store = hub.settings.store_dir
    assert denied(hub, f"open({str(store / 'mine.duckdb')!r}, 'w')").startswith("PermissionError")
    error = denied(hub, "import duckdb, agora.store as st\n"
                        "duckdb.connect(str(st.current_path()), read_only=False)"
                        ".execute('create table x(i int)')")
    assert error is not None, "the analyst opened the snapshot read-write"


def test_analyst_cannot_read_hub_state_or_other_homes(hub):
    s = hub.settings
    for path in (s.hub_dir / "jupyterhub.sqlite", s.homes_dir / hub.name("cara")):
        error = denied(hub, f"import os; os.listdir({str(path)!r}) if os.path.isdir({str(path)!r}) "
                            f"else open({str(path)!r}, 'rb').read()")
        assert error is not None and error.startswith("PermissionError"), (path, error)


def test_viewer_cannot_start_a_server(hub):
    r = requests.post(  # with the viewer's own token
        f"{hub.url}/hub/api/users/{hub.name('vic')}/server",
        headers={"Authorization": f"token {hub.token('vic')}"}, timeout=30)
    assert r.status_code == 403
    assert hub.client.user(hub.name("vic"))["server"] is None


def test_viewer_token_has_no_server_scope(hub):
    r = requests.get(f"{hub.url}/hub/api/user",
                     headers={"Authorization": f"token {hub.token('vic')}"}, timeout=30)
    scopes = r.json()["scopes"]
    assert not any(sc.startswith("servers") for sc in scopes), scopes
    assert "access:services!service=dashboards" in scopes


def test_folder_owners_and_modes(hub):
    """The layout of accounts.py, written out: (path, mode, group)."""
    s = hub.settings
    prefix = hub.prefix

    def mode_group(path):
        st = os.stat(path)
        return stat.S_IMODE(st.st_mode), grp.getgrgid(st.st_gid).gr_name

    assert mode_group(s.orgs_dir / "RAJ") == (0o2770, f"{prefix}raj")
    assert mode_group(s.orgs_dir / "QH8") == (0o2770, f"{prefix}qh8")
    assert mode_group(s.shared_dir) == (0o2770, f"{prefix}partners")
    for private in (s.feeds_dir, s.quarantine_dir, s.audit_dir, s.hub_dir):
        assert mode_group(private) == (0o700, "root")
    assert stat.S_IMODE(os.stat(s.key_file).st_mode) == 0o600
    home = s.homes_dir / hub.name("ana")
    assert stat.S_IMODE(os.stat(home).st_mode) == 0o700
    assert os.stat(home).st_uid == pwd.getpwnam(hub.name("ana")).pw_uid
    assert os.readlink(home / "org") == str(s.orgs_dir / "RAJ")
    # a viewer has no Unix account at all
    with pytest.raises(KeyError):
        pwd.getpwnam(hub.name("vic"))


def test_only_stewards_write_the_data_quality_issues_register(hub):
    code = ("from agora.dq import register\n"
            "print(register.log(title='A&E departures missing at RAJ01', table='ae_attendance', "
            "org='RAJ', who='{who}'))")
    hub.start("stew")
    logged = hub.run("stew", code.format(who="stew"))
    assert logged.error is None, logged.error
    error = denied(hub, code.format(who="ana"))
    assert error is not None and ("PermissionError" in error or "Permission denied" in error), error


def test_viewer_lands_on_the_dashboards_page_after_login(hub):
    from agora.hub.testing import login_response

    r = login_response(requests.Session(), hub.url, hub.name("vic"), hub.password("vic"))
    assert r.status_code == 200, r.status_code
    assert r.url.rstrip("/").endswith("/services/dashboards"), r.url
