"""The real hub: log in over HTTP, spawn real Unix users' servers, work in the folders,
share a server with a named colleague, real-time collaboration, `agora` in every kernel."""
from __future__ import annotations

import importlib.util
import os
import pwd

import pytest
import requests

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def hub(running_hub):
    for short in ("ana", "ben", "cara"):
        running_hub.start(short)
    return running_hub


def test_login_over_http_opens_the_hub_home(hub):
    session = hub.login("ana")
    r = session.get(f"{hub.url}/hub/home", timeout=30)
    assert r.status_code == 200
    assert hub.name("ana") in r.text


def test_server_runs_as_the_persons_unix_account_in_their_home(hub):
    result = hub.run("ana", "import os; print(os.getuid(), os.getcwd())")
    assert result.ok, result.error
    uid, cwd = result.stdout.split()
    entry = pwd.getpwnam(hub.name("ana"))
    assert int(uid) == entry.pw_uid
    assert cwd == entry.pw_dir == str(hub.settings.homes_dir / hub.name("ana"))


def test_analyst_writes_in_org_folder_and_colleague_reads_it(hub):
    org = hub.settings.orgs_dir / "RAJ"
    result = hub.run("ana", f"open('{org}/note.txt', 'w').write('RAJ only'); print('done')")
    assert result.ok, result.error
    stat = os.stat(org / "note.txt")
    assert stat.st_gid == os.stat(org).st_gid  # setgid folder: the file belongs to the org group
    # a colleague of the same organisation reads it
    result = hub.run("ben", f"print(open('{org}/note.txt').read())")
    assert result.stdout.strip() == "RAJ only"


def test_shared_folder_is_shared_across_organisations(hub):
    shared = hub.settings.shared_dir
    result = hub.run("cara", f"open('{shared}/from-qh8.txt', 'w').write('for everyone')")
    assert result.ok, result.error
    result = hub.run("ana", f"print(open('{shared}/from-qh8.txt').read())")
    assert result.stdout.strip() == "for everyone"


def test_kernel_sees_the_store_location_but_never_the_key_path(hub):
    result = hub.run("ana", "import os; print(os.environ.get('AGORA_DATA_DIR'), "
                            "'AGORA_KEY_FILE' in os.environ)")
    assert result.stdout.split() == [str(hub.settings.data_dir), "False"]


def test_every_kernel_has_agora_imported(hub):
    result = hub.run("ana", "import sys; print('agora' in sys.modules, agora.__name__)")
    assert result.ok, result.error
    assert result.stdout.split() == ["True", "agora"]


@pytest.mark.skipif(importlib.util.find_spec("agora.ipython") is None,
                    reason="agora.ipython (the %sql extension) is not in the tree yet")
def test_every_kernel_has_sql_magic_ready(hub):
    result = hub.run("ana", "print('sql' in get_ipython().magics_manager.magics['line'])")
    assert result.stdout.strip() == "True"


def test_analyst_reads_the_store_snapshot(hub):
    result = hub.run("ana", "import agora.store as st\n"
                            "con = st.connect()\n"
                            "print(con.execute('select 41 + 1').fetchone()[0])")
    assert result.ok, result.error
    assert result.stdout.strip() == "42"


def test_collaboration_extension_is_loaded(hub):
    """jupyter-collaboration answers on the server: a shared document session opens."""
    headers = {"Authorization": f"token {hub.token('ana')}"}
    url = f"{hub.server_url('ana')}/api/collaboration/session/collab.ipynb"
    requests.put(f"{hub.server_url('ana')}/api/contents/collab.ipynb", headers=headers,
                 json={"type": "notebook", "content": {"cells": [], "metadata": {},
                                                       "nbformat": 4, "nbformat_minor": 5}},
                 timeout=30).raise_for_status()
    r = requests.put(url, headers=headers, json={"format": "json", "type": "notebook"}, timeout=30)
    assert r.status_code in (200, 201), r.text
    assert r.json()["fileId"]


def test_sharing_lets_a_named_colleague_in_and_no_one_else(hub):
    owner, friend, other = "ana", "ben", "cara"
    contents = f"{hub.server_url(owner)}/api/contents"

    def status(short, token=None):
        token = token or hub.token(short)
        return requests.get(contents, headers={"Authorization": f"token {token}"},
                            timeout=30).status_code

    # not shared yet (a throwaway token: the server caches what a token may do for minutes)
    assert status(friend, hub.client.token(hub.name(friend), note="before sharing")) == 403
    share = requests.post(f"{hub.url}/hub/api/shares/{hub.name(owner)}/",
                          headers={"Authorization": f"token {hub.token(owner)}"},
                          json={"user": hub.name(friend)}, timeout=30)
    assert share.status_code == 200, share.text
    assert status(friend) == 200
    assert status(other) == 403
    # the colleague runs code in the owner's server: the same files, co-edited
    result = hub.run(owner, "print(open('collab.ipynb').read()[:1])", as_user=friend)
    assert result.stdout.strip() == "{"


def test_home_lists_links_to_the_workspace_folders(hub):
    r = requests.get(f"{hub.server_url('ana')}/api/contents",
                     headers={"Authorization": f"token {hub.token('ana')}"}, timeout=30)
    names = {item["name"] for item in r.json()["content"]}
    assert {"org", "shared", "store", "scratch"} <= names


def test_jupyterlab_has_collaboration_git_and_nbdime(hub):
    r = requests.get(f"{hub.server_url('ana')}/lab",
                     headers={"Authorization": f"token {hub.token('ana')}"}, timeout=60)
    assert r.status_code == 200
    for extension in ("@jupyter/collaboration-extension", "@jupyterlab/git", "nbdime-jupyterlab"):
        assert extension in r.text, extension


@pytest.mark.parametrize("short, has, has_not", [
    ("stew", ["custom:agora:schedule", "custom:agora:publish", "custom:agora:dq-triage"],
     ["custom:agora:reidentify"]),
    ("gp", ["custom:agora:reidentify"], ["custom:agora:schedule"]),
    ("ana", [], ["custom:agora:schedule", "custom:agora:reidentify"]),
])
def test_role_scopes_reach_the_persons_token(hub, short, has, has_not):
    r = requests.get(f"{hub.url}/hub/api/user",
                     headers={"Authorization": f"token {hub.token(short)}"}, timeout=30)
    scopes = set(r.json()["scopes"])
    assert set(has) <= scopes and not set(has_not) & scopes, scopes
