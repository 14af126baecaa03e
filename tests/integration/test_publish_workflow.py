"""The review-and-publish workflow end to end on a real publish directory."""
from __future__ import annotations

import json
import os
import stat
import threading

import pytest

from agora import publish
from agora.publish import store

from publish_helpers import ANALYST, OTHER_ANALYST, STEWARD, VIEWER, notebook


@pytest.fixture
def nb(agora_env, tmp_path):
    return notebook(tmp_path / "uec.ipynb", "x = 1\nprint(x)")


def served(slug):
    path = publish.served_dir() / f"{slug}.ipynb"
    return path.read_text() if path.exists() else None


def test_submit_review_approve_reject_rollback(nb, tmp_path):
    s1 = publish.submit(nb, title="UEC flow", description="Daily flow", audience="partnership",
                        actor=ANALYST)
    assert (s1.slug, s1.number) == ("uec-flow", 1)
    assert served("uec-flow") is None                      # nothing served before approval
    assert publish.audience_of("uec-flow") is None
    assert [p["number"] for p in publish.pending()] == [1]
    first = publish.review("uec-flow")
    assert "first version" in first and "print(x)" in first

    assert publish.approve("uec-flow", STEWARD, comment="ok") == 1
    v1 = served("uec-flow")
    assert "print(x)" in v1
    assert publish.audience_of("uec-flow") == "partnership"
    assert stat.S_IMODE(os.stat(store.version_path("uec-flow", 1)).st_mode) == 0o444

    # a second version is reviewed against v1, rejected, and nothing served changes
    notebook(nb, "x = 2\nprint(x * 10)")
    s2 = publish.submit(nb, title="UEC flow", description="Daily flow", audience="RAJ",
                        actor=ANALYST)
    diff = publish.review("uec-flow", s2.number)
    assert "against published v1" in diff
    assert "-  x = 1" in diff.replace("\x1b", "") or "x = 1" in diff
    assert "x * 10" in diff
    publish.reject("uec-flow", STEWARD, comment="audience should stay partnership")
    assert served("uec-flow") == v1
    meta = store.read_meta("uec-flow")
    assert meta["submissions"][1]["status"] == "rejected"
    assert meta["submissions"][1]["comment"] == "audience should stay partnership"

    # a third is approved as v2 with its own audience, then rolled back to v1 and forward again
    s3 = publish.submit(nb, title="UEC flow", description="Daily flow v2", audience="RAJ",
                        actor=ANALYST)
    assert s3.number == 3
    assert publish.approve("uec-flow", STEWARD) == 2
    assert "x * 10" in served("uec-flow")
    assert publish.audience_of("uec-flow") == "RAJ"
    assert publish.rollback("uec-flow", STEWARD, comment="bug") == 1
    assert served("uec-flow") == v1 and publish.audience_of("uec-flow") == "partnership"
    assert publish.rollback("uec-flow", STEWARD, to="v2") == 2
    assert [m["slug"] for m in publish.published()] == ["uec-flow"]
    history = [h["action"] for h in store.read_meta("uec-flow")["history"]]
    assert history == ["submit", "approved", "submit", "rejected", "submit", "approved",
                       "rollback", "rollback"]
    # published versions are never rewritten
    with pytest.raises(FileExistsError):
        store.copy_readonly(nb, store.version_path("uec-flow", 1))


def test_only_stewards_decide(nb):
    publish.submit(nb, title="Diabetes", description="d", audience="RAJ", actor=ANALYST)
    for actor in (ANALYST, VIEWER):
        with pytest.raises(publish.NotAllowed, match="steward"):
            publish.approve("diabetes", actor)
        with pytest.raises(publish.NotAllowed):
            publish.reject("diabetes", actor, comment="no")
        with pytest.raises(publish.NotAllowed):
            publish.rollback("diabetes", actor)
    with pytest.raises(publish.NotAllowed, match="may not submit"):
        publish.submit(nb, title="Viewer's", description="d", audience="RAJ", actor=VIEWER)
    assert served("diabetes") is None
    assert store.read_meta("diabetes")["submissions"][0]["status"] == "pending"


def test_decisions_need_the_right_state(nb):
    publish.submit(nb, title="Cancer", description="d", audience="partnership", actor=ANALYST)
    with pytest.raises(publish.InvalidName, match="comment is required"):
        publish.reject("cancer", STEWARD, comment="  ")
    publish.approve("cancer", STEWARD)
    with pytest.raises(publish.NotFound, match="no submission awaiting review"):
        publish.approve("cancer", STEWARD)
    with pytest.raises(publish.Conflict, match="already approved"):
        publish.reject("cancer", STEWARD, comment="late", submission=1)
    with pytest.raises(publish.Conflict, match="no earlier version"):
        publish.rollback("cancer", STEWARD)
    with pytest.raises(publish.NotFound, match="no version v7"):
        publish.rollback("cancer", STEWARD, to=7)
    with pytest.raises(publish.NotFound, match="no dashboard"):
        publish.approve("no-such-dashboard", STEWARD)


def test_only_the_owner_or_a_steward_submits_new_versions(nb):
    publish.submit(nb, title="Frailty", description="d", audience="RAJ", actor=ANALYST)
    with pytest.raises(publish.NotAllowed, match="belongs to ana"):
        publish.submit(nb, title="Frailty", description="d", audience="RAJ", actor=OTHER_ANALYST)
    assert publish.submit(nb, title="Frailty", description="d", audience="RAJ",
                          actor=STEWARD).number == 2


HOSTILE_SLUGS = ["../etc", "..", ".", "a/b", "/abs", "uec/../../x", ".hidden", "UEC", "a b",
                 "a--b", "-lead", "trail-", "x" * 65, "", "nul\x00byte", "ünï", "a\\b",
                 "con.ipynb", "%2e%2e", "name\n"]


@pytest.mark.parametrize("slug", HOSTILE_SLUGS)
def test_hostile_slugs_are_refused_and_nothing_escapes(nb, agora_env, slug):
    data, _ = agora_env
    before = {p for p in data.parent.rglob("*")}
    with pytest.raises(publish.InvalidName):
        publish.submit(nb, title="Fine title", description="d", audience="RAJ", actor=ANALYST,
                       slug=slug)
    for fn in (lambda: publish.review(slug), lambda: publish.approve(slug, STEWARD),
               lambda: publish.rollback(slug, STEWARD)):
        with pytest.raises(publish.InvalidName):
            fn()
    assert publish.audience_of(slug) is None
    created = {p for p in data.parent.rglob("*")} - before
    assert all(p.is_relative_to(data / "published") for p in created)


def test_slug_from_title_and_its_limits(nb):
    assert publish.submit(nb, title="A&E: 4-hour (daily)!", description="d",
                          audience="partnership", actor=ANALYST).slug == "a-e-4-hour-daily"
    with pytest.raises(publish.InvalidName, match="empty"):
        publish.submit(nb, title="!!!", description="d", audience="partnership", actor=ANALYST)
    with pytest.raises(publish.InvalidName, match="limit is 200"):
        publish.submit(nb, title="t" * 201, description="d", audience="RAJ", actor=ANALYST)
    with pytest.raises(publish.InvalidName, match="limit is 2000"):
        publish.submit(nb, title="ok", description="d" * 2001, audience="RAJ", actor=ANALYST)
    with pytest.raises(publish.InvalidName, match="control characters"):
        publish.submit(nb, title="bell\x07", description="d", audience="RAJ", actor=ANALYST)


@pytest.mark.parametrize("audience,ok", [
    ("partnership", "partnership"), (" Partnership ", "partnership"), ("raj", "RAJ"),
    ("RAJ", "RAJ"), ("E10000012", "E10000012")])
def test_audiences(nb, audience, ok):
    s = publish.submit(nb, title="Aud", description="d", audience=audience, actor=ANALYST)
    assert store.read_meta(s.slug)["submissions"][-1]["audience"] == ok


@pytest.mark.parametrize("audience", ["ZZZ99", "../RAJ", "RAJ;drop", "", "R", "everyone", None, 7])
def test_bad_audiences(nb, audience):
    with pytest.raises(publish.InvalidName):
        publish.submit(nb, title="Aud", description="d", audience=audience, actor=ANALYST)


def test_bad_notebooks_are_refused(agora_env, tmp_path):
    def submit(path):
        return publish.submit(path, title="Bad", description="d", audience="RAJ", actor=ANALYST)

    with pytest.raises(publish.InvalidNotebook, match="no notebook file"):
        submit(tmp_path / "missing.ipynb")
    (tmp_path / "x.py").write_text("print(1)")
    with pytest.raises(publish.InvalidNotebook, match="must end in .ipynb"):
        submit(tmp_path / "x.py")
    (tmp_path / "broken.ipynb").write_text("{not json")
    with pytest.raises(publish.InvalidNotebook, match="not a valid notebook"):
        submit(tmp_path / "broken.ipynb")
    (tmp_path / "wrong.ipynb").write_text(json.dumps({"cells": "nope", "nbformat": 4}))
    with pytest.raises(publish.InvalidNotebook, match="not a valid notebook"):
        submit(tmp_path / "wrong.ipynb")
    big = tmp_path / "big.ipynb"
    with open(big, "wb") as fh:          # sparse: large on paper, nothing written
        fh.truncate(21 * 1024 * 1024)
    with pytest.raises(publish.InvalidNotebook, match="the limit is"):
        submit(big)
    assert publish.dashboards() == []


def test_outputs_are_cleared_before_review(agora_env, tmp_path):
    import nbformat
    path = notebook(tmp_path / "o.ipynb", "print('x')")
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="row-level secret")]
    nbformat.write(nb, path)
    s = publish.submit(path, title="Outputs", description="d", audience="RAJ", actor=ANALYST)
    assert "row-level secret" not in store.submission_path(s.slug, 1).read_text()


def test_two_stewards_approving_at_once_publish_one_version(nb):
    publish.submit(nb, title="Race", description="d", audience="RAJ", actor=ANALYST)
    results = []

    def go():
        try:
            results.append(publish.approve("race", STEWARD, submission=1))
        except publish.PublishError as exc:
            results.append(type(exc).__name__)

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(map(str, results)) == ["1", "Conflict", "Conflict", "Conflict"]
    assert len(store.read_meta("race")["versions"]) == 1
