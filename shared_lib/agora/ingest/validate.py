"""Validation driven by agora.model: the `typed` step generated for one feed plan.

Each mapped model column is cleaned, value-mapped (Feed.value_maps), parsed to its model type
(Feed.date_formats for dates), then checked against the model's constraints: required, allowed,
min/max, pattern, plus the feed's time_order pairs and its unpivoted code columns. A row's reason
lists every failed rule by column name, never by value.
"""
from __future__ import annotations

from .. import model
from .mapping import AGE_AT, EARLIEST_BIRTH, Plan
from .sqltext import Params, ident, render


def _v(provider: str) -> str:
    return ident("v." + provider)


def _parse(expr: str, col: model.Column, fmt: str | None, p: Params) -> str:
    if col.type in ("DATE", "TIMESTAMP") and fmt:
        parsed = f"try_strptime({expr}, {p.const(fmt)})"
        return f"CAST({parsed} AS DATE)" if col.type == "DATE" else parsed
    if col.type == "VARCHAR":
        return expr
    return f"TRY_CAST({expr} AS {col.type})"


def _type_words(col: model.Column, fmt: str | None) -> str:
    if col.type in ("DATE", "TIMESTAMP"):
        return f"not a valid {col.type.lower()}" + (f" in the format {fmt}" if fmt else "")
    return {"INTEGER": "not a whole number", "BIGINT": "not a whole number",
            "DOUBLE": "not a number", "BOOLEAN": "not true/false"}.get(col.type,
                                                                       f"not a {col.type}")


def _check(cond: str, message: str, p: Params) -> str:
    return f"CASE WHEN {cond} THEN {p.add(message)} END"


def constraint_checks(name: str, expr: str, col: model.Column, p: Params,
                      label: str | None = None) -> list[str]:
    """allowed / min / max / pattern checks of a typed value (NULL passes)."""
    label = label or name
    out = []
    if col.allowed is not None:
        out.append(_check(f"NOT list_contains({p.add(list(col.allowed))}, {expr})",
                          f"{label}: not one of the allowed values", p))
    if col.min is not None:
        out.append(_check(f"{expr} < {p.add(col.min)}", f"{label}: below the minimum", p))
    if col.max is not None:
        out.append(_check(f"{expr} > {p.add(col.max)}", f"{label}: above the maximum", p))
    if col.pattern is not None:
        out.append(_check(f"NOT regexp_matches({expr}, {p.add(col.pattern)})",
                          f"{label}: does not match the expected pattern", p))
    return out


def _clean(column: str, null_list: str | None) -> str:
    """Text without surrounding spaces; empty or a provider null text becomes NULL. (trim is
    applied only where a space is at either end: it copies every string it touches.)"""
    x = f"raw.{ident(column)}"
    t = (f"CASE WHEN starts_with({x}, ' ') OR ends_with({x}, ' ') THEN trim({x}) "
         f"ELSE {x} END")
    if null_list:
        return f"CASE WHEN {t} = '' OR list_contains({null_list}, {t}) THEN NULL ELSE {t} END"
    return f"nullif({t}, '')"


def typed_sql(plan: Plan, file_columns: list[str], nulls: list[str],
              postcode_table: bool) -> tuple[str, Params]:
    """The CREATE TEMP TABLE typed statement for a plan, and its parameters (set the
    variables with `params.set_variables(con)`, then execute with `params.values`)."""
    feed, p = plan.feed, Params()
    null_list = p.add(list(nulls)) if nulls else None
    used = plan.used_columns
    cleaned = [f"{_clean(c, null_list)} AS {_v(c)}" for c in used]
    # Content hash of the whole raw row: tells exact duplicates from corrected versions.
    cleaned.append("hash(" + ", ".join(f"raw.{ident(c)}" for c in file_columns) + ") AS _h")
    if plan.has_identity and feed.nhs_number:
        cleaned.append(f"raw.{ident(feed.nhs_number)} AS {ident('n.' + feed.nhs_number)}")
    mapped, parsed, derived, joins, checks = [], [], [], [], []

    for f in plan.fields:
        name, col = f.column.name, f.column
        text = _v(f.provider)
        source = text
        if name in feed.value_maps:
            vmap = feed.value_maps[name]
            mapped.append(f"list_extract({p.add(list(vmap.values()))}, "
                          f"list_position({p.add(list(vmap.keys()))}, {text})) AS {ident('m.' + name)}")
            source = ident("m." + name)
            checks.append(_check(f"{text} IS NOT NULL AND {source} IS NULL",
                                 f"{name}: unknown code", p))
        fmt = feed.date_formats.get(name)
        parsed.append(f"{_parse(source, col, fmt, p)} AS {ident(name)}")
        if col.required:
            checks.append(_check(f"{text} IS NULL", f"{name}: missing", p))
        if col.type != "VARCHAR":
            checks.append(_check(f"{source} IS NOT NULL AND {ident(name)} IS NULL",
                                 f"{name}: {_type_words(col, fmt)}", p))
        checks += constraint_checks(name, ident(name), col, p)

    # Version: ISO 8601 text, compared as text (Feed contract).
    parsed.append(f"{_v(feed.version)} AS _version" if feed.version else "NULL::VARCHAR AS _version")

    # Date of birth: reduced to birth month and ages, never kept.
    if feed.date_of_birth:
        fmt = feed.date_formats.get("date_of_birth")
        dob_col = model.Column("date_of_birth", "DATE", "")
        parsed.append(f"{_parse(_v(feed.date_of_birth), dob_col, fmt, p)} AS _dob")
        checks.append(_check(f"{_v(feed.date_of_birth)} IS NOT NULL AND _dob IS NULL",
                             f"date_of_birth: {_type_words(dob_col, fmt)}", p))
        checks.append(_check(f"_dob < {p.add(EARLIEST_BIRTH)} OR _dob > current_date",
                             "date_of_birth: not a plausible date of birth", p))
    target_names = {c.name for c in plan.table.columns}
    for age, ref in AGE_AT.items():
        if age in target_names:
            expr = (f"CASE WHEN _dob IS NOT NULL AND {ident(ref)} IS NOT NULL THEN "
                    f"date_sub('year', _dob, CAST({ident(ref)} AS DATE)) END"
                    if feed.date_of_birth and ref in target_names else "NULL::INTEGER")
            derived.append(f"{expr} AS {ident(age)}")
            checks += constraint_checks(age, ident(age), plan.table.column(age), p)
    if "is_emergency" in target_names:
        derived.append(f"regexp_matches(admission_method, {p.add('^2')}) AS is_emergency")

    # Identity: NHS number -> person_id (hashed once per distinct value), else a local token.
    if plan.has_identity:
        pid = plan.table.column("person_id")
        parts_pid, parts_flag = [], []
        if feed.nhs_number:
            joins.append("LEFT JOIN nhs_raw_map ON nhs_raw_map.raw_value = "
                         f"parsed.{ident('n.' + feed.nhs_number)}")
            parts_pid.append("nhs_raw_map.person_id")
            parts_flag.append("WHEN nhs_raw_map.person_id IS NOT NULL THEN false")
        if feed.local_id:
            joins.append(f"LEFT JOIN local_map ON local_map.org = {p.add(feed.org_code)} "
                         f"AND local_map.raw_value = parsed.{_v(feed.local_id)}")
            parts_pid.append("local_map.token")
            parts_flag.append("WHEN local_map.token IS NOT NULL THEN true")
        derived.append((f"coalesce({', '.join(parts_pid)})" if parts_pid else "NULL::VARCHAR")
                       + " AS person_id")
        derived.append(f"CASE {' '.join(parts_flag) or 'WHEN false THEN false'} END AS id_from_local")
        if pid.required:
            checks.append(_check("person_id IS NULL",
                                 "person_id: no valid NHS number and no local identifier", p))

    # Person columns (registration feeds): birth month and LSOA of residence.
    if plan.builds_person:
        derived.append("CAST(date_trunc('month', _dob) AS DATE) AS birth_month"
                       if feed.date_of_birth else "NULL::DATE AS birth_month")
        checks.append(_check("birth_month IS NULL", "date_of_birth: missing", p))
        if feed.postcode and postcode_table:
            joins.append("LEFT JOIN postcode_lsoa ON postcode_lsoa.postcode_key = "
                         f"upper(replace(parsed.{_v(feed.postcode)}, ' ', ''))")
            derived.append("postcode_lsoa.lsoa_code AS lsoa_code")
        else:
            derived.append("NULL::VARCHAR AS lsoa_code")

    # Pairs that must be in order.
    for earlier, later in feed.time_order:
        checks.append(_check(f"{ident(later)} < {ident(earlier)}",
                             f"{later}: before {earlier}", p))

    # Repeating code columns that become child rows (apc_diagnosis, apc_procedure).
    for u in plan.unpivots:
        child = model.table(u.table)
        vcol = child.column(u.value)
        for i, provider in enumerate(u.columns, start=1):
            alias = ident(f"u.{u.table}.{i}")
            parsed.append(f"{_v(provider)} AS {alias}")
            checks += constraint_checks(u.value, alias, vcol, p, label=f"{provider} ({u.value})")
        for pcol, providers in u.parallel.items():
            col = child.column(pcol)
            fmt = feed.date_formats.get(pcol)
            for i, provider in enumerate(providers, start=1):
                alias = ident(f"u.{u.table}.{pcol}.{i}")
                parsed.append(f"{_parse(_v(provider), col, fmt, p)} AS {alias}")
                checks.append(_check(f"{_v(provider)} IS NOT NULL AND {alias} IS NULL",
                                     f"{provider} ({pcol}): {_type_words(col, fmt)}", p))

    def lead(items: list[str]) -> str:
        return "".join(",\n        " + i for i in items)

    keep = set(plan.raw_key())
    drop = [_v(c) for c in used if c not in keep]
    if plan.has_identity and feed.nhs_number:
        drop.append(ident("n." + feed.nhs_number))
    sql = render("typed", cleaned=lead(cleaned), mapped=lead(mapped), parsed=lead(parsed),
                 derived=lead(derived), joins="\n    ".join(joins), checks=lead(checks),
                 drop=", ".join(drop) or "_h")
    return sql, p
