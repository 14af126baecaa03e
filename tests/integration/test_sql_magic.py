"""The %sql magic in a real IPython kernel: agora.ipython loads jupysql on the store connection."""
from __future__ import annotations

import os
import queue

import pytest
from jupyter_client.manager import start_new_kernel

from agora import analyst_db, store

pytestmark = pytest.mark.slow

PERSON = ("INSERT INTO person (person_id, id_from_local, sex, birth_month, opt_out, "
          "source_org_code, load_batch_id, loaded_at) VALUES (?, false, ?, DATE '1960-01-01', ?, "
          "'F81001', 1, TIMESTAMP '2026-04-01 06:00:00')")


def publish(*people):
    with store.write(run_hooks=False) as build:
        for row in people:
            build.con.execute(PERSON, list(row))


def execute(client, code: str) -> tuple[str, str]:
    """Run `code`; return (stdout, error text) once the kernel is idle again."""
    msg_id = client.execute(code)
    out, err = [], []
    while True:
        try:
            msg = client.get_iopub_msg(timeout=60)
        except queue.Empty:
            raise AssertionError(f"kernel did not answer: {code!r}") from None
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            (out if content["name"] == "stdout" else err).append(content["text"])
        elif kind == "error":
            err.append(f"{content['ename']}: {content['evalue']}")
        elif kind == "status" and content["execution_state"] == "idle":
            return "".join(out), "".join(err)


@pytest.fixture
def kernel(agora_env):
    publish(("a" * 64, "F", False), ("b" * 64, "M", False), ("c" * 64, "F", True))
    km, client = start_new_kernel(kernel_name="python3", env=dict(os.environ))
    try:
        yield client
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=True)
        analyst_db.close()


def test_sql_magic_reads_store_writes_scratch_and_follows_publishes(kernel):
    out, err = execute(kernel, "%load_ext agora.ipython")
    assert "Error" not in err, err
    out, err = execute(kernel, "df = %sql SELECT sex, count(*) AS n FROM person GROUP BY sex "
                               "ORDER BY sex\nprint(type(df).__name__, df.to_dict('list'))")
    assert out.strip() == "DataFrame {'sex': ['F', 'M'], 'n': [1, 1]}", (out, err)

    out, err = execute(kernel, "%sql CREATE TABLE mine AS SELECT person_id FROM person "
                               "WHERE sex = 'F'\nimport agora\n"
                               "print(agora.sql('SELECT database_name FROM duckdb_tables() "
                               "WHERE table_name = ?', ['mine'])['database_name'].tolist())")
    assert out.strip() == "['scratch']", (out, err)

    out, err = execute(kernel, "%sql DELETE FROM store.person")
    assert "read-only" in out + err

    publish(("d" * 64, "M", False))
    out, err = execute(kernel, "df = %sql SELECT count(*) AS n FROM person\nprint(df['n'][0])\n"
                               "df = %sql SELECT count(*) AS n FROM mine\nprint(df['n'][0])")
    assert out.split() == ["3", "1"], (out, err)


def test_extension_without_a_store_fails_clearly(agora_env):
    km, client = start_new_kernel(kernel_name="python3", env=dict(os.environ))
    try:
        out, err = execute(client, "%load_ext agora.ipython")
        assert "no store snapshot" in err
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=True)
