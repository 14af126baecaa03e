"""Data quality: checks driven from the common data model, and the data quality issues register
(DQIR) with its log -> triage -> prioritise -> fix -> close workflow.

    agora.dq.summary()                      results and open issues for a report or dashboard
    agora.dq.run_checks(con)                check a snapshot (dq_result rows)
    agora.dq.log("Missing departure times", who="steward1", table="ae_attendance", org="RAJ")

`agora dq check|log|triage|update|list` is the stewards' command line.
"""
from agora.dq.checks import checks_for, post_load, run_checks, write_results
from agora.dq.register import (PRIORITIES, STATUSES, TRANSITIONS, DQIRBusy, DQIRError, close,
                               get, history, issues, log, prioritise, triage, update)
from agora.dq.summary import summary

__all__ = ["checks_for", "post_load", "run_checks", "write_results", "PRIORITIES", "STATUSES",
           "TRANSITIONS", "DQIRBusy", "DQIRError", "close", "get", "history", "issues", "log",
           "prioritise", "triage", "update", "summary"]
