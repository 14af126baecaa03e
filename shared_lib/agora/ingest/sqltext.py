"""SQL templates beside the package (`sql/*.sql`) with `{{name}}` slots for SQL generated from
the model and feed declarations. Values never go into slots: they are bind parameters."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_DIR = Path(__file__).with_name("sql")
_SLOT = re.compile(r"\{\{\s*(\w+)\s*\}\}")


@lru_cache(maxsize=None)
def template(name: str) -> str:
    return (_DIR / f"{name}.sql").read_text()


def render(name: str, **slots: str) -> str:
    """The template with each `{{slot}}` replaced; a missing slot is an error."""
    def fill(m: re.Match) -> str:
        if m.group(1) not in slots:
            raise KeyError(f"template {name}.sql needs slot {m.group(1)!r}")
        return slots[m.group(1)]
    return _SLOT.sub(fill, template(name))


def statements(name: str, **slots: str) -> list[str]:
    """The rendered template split into statements (at `;` ending a line), comments removed."""
    body = "\n".join(line for line in render(name, **slots).splitlines()
                     if not line.lstrip().startswith("--"))
    return [s.strip() for s in re.split(r";\s*$", body, flags=re.M) if s.strip()]


def ident(name: str) -> str:
    """A double-quoted identifier (declaration names only, never user input)."""
    return '"' + name.replace('"', '""') + '"'


class Params:
    """Collects bind parameters while SQL is generated.

    `p.add(value)` returns `$pN`, an ordinary bind parameter. `p.const(text)` returns
    `getvariable('agora_consts')[N]`: the text is bound into a DuckDB variable (`set_variables`),
    which the planner folds into a constant (strptime with a `$` format parses it on every row).
    """

    def __init__(self, **named):
        self.values: dict[str, object] = dict(named)
        self.variables: list[str] = []

    def add(self, value) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return "$" + name

    def const(self, value: str) -> str:
        self.variables.append(value)
        return f"getvariable('agora_consts')[{len(self.variables)}]"

    def set_variables(self, con) -> None:
        """Bind the constants (one statement); call before executing the generated SQL."""
        if self.variables:
            con.execute("SET VARIABLE agora_consts = $v", {"v": self.variables})
