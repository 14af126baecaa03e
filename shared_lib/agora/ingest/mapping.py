"""What a feed file becomes in the model: the plan built from a `Feed` declaration.

Provider columns map to model columns (the target table, plus `person` columns for registration
feeds); identity becomes `person_id`/`id_from_local`; date of birth becomes `birth_month` and
ages; postcode becomes `lsoa_code`; names and addresses are never selected. Reference files are
planned as feeds whose provider columns carry the model names.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import model
from ..feeds import Feed, Unpivot

REFERENCE_ORG = "QH8"          # reference data is the ICB's (ODS code, DATA_SPEC.md)
POSTCODE_FILE = "postcode_lsoa"
PERSON_FEED_TABLE = "gp_registration"   # `person` is built from GP registration feeds

# Model columns computed from others: column -> (SQL over typed columns, what it needs)
AGE_AT = {"age_at_arrival": "arrival_at", "age_on_admission": "admission_at"}
IDENTITY = ("person_id", "id_from_local")
EARLIEST_BIRTH = date(1890, 1, 1)      # an earlier date of birth is a data error


@dataclass(frozen=True)
class Field:
    column: model.Column        # the model column (its type and constraints)
    provider: str               # provider column it comes from
    table: str                  # model table the column belongs to


@dataclass(frozen=True)
class Plan:
    feed: Feed
    table: model.Table
    fields: tuple[Field, ...]
    builds_person: bool
    replace_all: bool           # reference tables: each file replaces the whole table

    @property
    def has_identity(self) -> bool:
        return "person_id" in {c.name for c in self.table.columns}

    @property
    def derived(self) -> tuple[str, ...]:
        """Target-table columns computed rather than read."""
        names = {c.name for c in self.table.columns}
        out = [c for c in IDENTITY if c in names]
        out += [c for c in AGE_AT if c in names]
        if "is_emergency" in names:
            out.append("is_emergency")
        return tuple(out)

    @property
    def target_columns(self) -> tuple[str, ...]:
        """Target-table columns written (lineage added separately)."""
        mapped = {f.column.name for f in self.fields if f.table == self.table.name}
        derived = set(self.derived)
        return tuple(c.name for c in self.table.columns if c.name in mapped | derived)

    def model_key(self) -> tuple[str, ...] | None:
        """Record key as typed model columns, or None when some key column is not stored."""
        by_provider = {f.provider: f.column.name for f in self.fields
                       if f.table == self.table.name}
        out = []
        for p in self.feed.record_key:
            if p in by_provider:
                out.append(by_provider[p])
            elif self.has_identity and p in (self.feed.local_id, self.feed.nhs_number):
                out.append("person_id")
            else:
                return None
        return tuple(dict.fromkeys(out)) or None

    def raw_key(self) -> tuple[str, ...]:
        """Provider key columns used as they are (when the key is not stored in the model)."""
        return () if self.model_key() is not None else tuple(self.feed.record_key)

    @property
    def unpivots(self) -> tuple[Unpivot, ...]:
        return self.feed.unpivot

    @property
    def used_columns(self) -> tuple[str, ...]:
        """Provider columns read into the pipeline; names and addresses are never among them."""
        f = self.feed
        cols = [x.provider for x in self.fields]
        cols += [c for c in (f.nhs_number, f.local_id, f.date_of_birth, f.version) if c]
        if self.builds_person and f.postcode:
            cols.append(f.postcode)
        cols += list(f.record_key)
        for u in f.unpivot:
            cols += list(u.columns) + list(u.key.values())
            cols += [c for cs in u.parallel.values() for c in cs]
        return tuple(c for c in dict.fromkeys(cols) if c not in f.drop)


def plan(feed: Feed) -> Plan:
    """The plan for one feed; KeyError when it names a model table or column that does not exist."""
    target = model.table(feed.table)
    fields = [Field(target.column(c), p, target.name) for c, p in feed.columns.items()]
    builds_person = feed.table == PERSON_FEED_TABLE and bool(feed.person)
    if feed.person:
        person = model.table("person")
        fields += [Field(person.column(c), p, "person") for c, p in feed.person.items()]
    for u in feed.unpivot:
        model.table(u.table).column(u.value)
    return Plan(feed, target, tuple(fields), builds_person, replace_all=False)


def reference_feed(table: model.Table) -> Feed:
    """A reference table's CSV (`reference/<table>.csv`, model column names as header)."""
    cols = {c.name: c.name for c in table.columns}
    return Feed(name=table.name, table=table.name, org_code=REFERENCE_ORG, format="csv",
                columns=cols, description=f"Reference data: {table.description}",
                read_options={"delimiter": ",", "encoding": "utf-8", "header": True,
                              "quote": '"'},
                record_key=table.primary_key)


def reference_plan(table: model.Table) -> Plan:
    feed = reference_feed(table)
    return Plan(feed, table, tuple(Field(c, c.name, table.name) for c in table.columns),
                builds_person=False, replace_all=True)


REFERENCE_TABLES: tuple[model.Table, ...] = tuple(t for t in model.TABLES
                                                  if t.kind == "reference")
