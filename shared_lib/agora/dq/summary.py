"""Data quality at a glance, for the data quality report and dashboard: check results by table
and dimension from the current snapshot's `dq_result`, and the open issues of its `dq_issue`."""
from __future__ import annotations

from pathlib import Path

from agora.dq.register import _org

SQL = (Path(__file__).parent / "summary_results.sql").read_text()
ISSUES_SQL = (Path(__file__).parent / "summary_issues.sql").read_text()


def summary(org: str | None = None, con=None) -> dict:
    """{"results": checks by table and dimension (with pct_rows_failed), "issues": open issues,
    "checks": number of checks, "checks_failing": how many found problems, "open_issues": n}.

    `org` limits both to one sending organisation; `con` defaults to the current snapshot,
    opened read-only.
    """
    org = _org(org)
    own = con is None
    if own:
        from agora import store
        con = store.connect()
    try:
        results = con.execute(SQL, {"org": org}).df()
        issues = con.execute(ISSUES_SQL, {"org": org}).df()
    finally:
        if own:
            con.close()
    checked = results["rows_checked"].astype("float64")
    results["pct_rows_failed"] = (100 * results["rows_failed"] / checked.where(checked > 0)
                                  ).round(2)
    return {"results": results, "issues": issues,
            "checks": int(results["checks"].sum()),
            "checks_failing": int(results["checks_failing"].sum()),
            "open_issues": len(issues)}
