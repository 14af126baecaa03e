"""Organisations and people: load, validate and write back organisations.yaml / demo_users.yaml.

Every mistake gets a clear `DirectoryError` naming the file and the entry: malformed YAML, an
organisation group that is not a valid Unix group name, duplicate users or codes, unknown
roles or organisations. Nothing is half-applied: a directory is validated whole before use.
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import yaml

from .errors import DirectoryError
from .roles import ROLES

ORGS_FILE = "organisations.yaml"
DEMO_USERS_FILE = "demo_users.yaml"
MAX_YAML_BYTES = 1_000_000
MIN_PASSWORD_LENGTH = 10

# Unix user and group names (useradd/groupadd's portable rule, 32 characters at most).
UNIX_NAME = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
ORG_CODE = re.compile(r"^[A-Z0-9]{3,9}$")
ORG_KINDS = ("icb", "acute_trust", "ambulance_trust", "mental_health_community", "council",
             "voluntary", "pcn", "gp_practice")
DEFAULT_PARTNERSHIP_GROUP = "agora-partners"


@dataclass(frozen=True)
class Org:
    code: str
    name: str
    kind: str
    group: str


@dataclass(frozen=True)
class Person:
    name: str
    org: str
    role: str
    practice: str | None = None
    disabled: bool = False
    password: str | None = field(default=None, repr=False)  # demo users only
    source: Path | None = field(default=None, compare=False, repr=False)


@dataclass
class Directory:
    """Who is who: organisations by code, people by name, and the partnership-wide group."""
    orgs: dict[str, Org]
    users: dict[str, Person]
    partnership_group: str = DEFAULT_PARTNERSHIP_GROUP
    config_dir: Path | None = None

    def org_of(self, person: Person) -> Org:
        return self.orgs[person.org]

    def active_users(self) -> list[Person]:
        return [p for p in self.users.values() if not p.disabled]

    def groups(self) -> list[str]:
        return [o.group for o in self.orgs.values()]

    @property
    def stewards_group(self) -> str:
        """Unix group of the data stewards (writes the data quality issues register)."""
        return f"{self.partnership_group}-stewards"


def check_unix_name(name: object, what: str) -> str:
    """`name` if it is a valid Unix user/group name, else a DirectoryError saying why."""
    if not isinstance(name, str) or not UNIX_NAME.match(name):
        raise DirectoryError(
            f"{what} {name!r} is not a valid Unix name: use 1-32 lower-case letters, digits, "
            "'-' or '_', starting with a letter or '_'")
    return name


def _read_yaml(path: Path) -> dict:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DirectoryError(f"{path}: file not found") from None
    if size > MAX_YAML_BYTES:
        raise DirectoryError(f"{path}: {size} bytes is too large (limit {MAX_YAML_BYTES})")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DirectoryError(f"{path}: malformed YAML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise DirectoryError(f"{path}: not UTF-8 text: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DirectoryError(f"{path}: expected a mapping at the top, got {type(data).__name__}")
    return data


def _entries(data: dict, key: str, path: Path, allowed: set[str]) -> list[dict]:
    unknown = set(data) - allowed
    if unknown:
        raise DirectoryError(f"{path}: unknown top-level key(s): "
                             f"{', '.join(sorted(map(str, unknown)))}")
    items = data.get(key) or []
    if not isinstance(items, list):
        raise DirectoryError(f"{path}: '{key}' must be a list")
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise DirectoryError(f"{path}: {key}[{i}] must be a mapping, got {item!r:.60}")
    return items


def _check_fields(item: dict, required: set[str], allowed: set[str], where: str) -> None:
    missing = required - set(item)
    if missing:
        raise DirectoryError(f"{where}: missing field(s) {', '.join(sorted(missing))}")
    extra = set(map(str, item)) - allowed
    if extra:
        raise DirectoryError(f"{where}: unknown field(s) {', '.join(sorted(extra))}")


def _parse_org(item: dict, where: str) -> Org:
    _check_fields(item, {"code", "name", "kind", "group"}, {"code", "name", "kind", "group"}, where)
    code, name, kind = item["code"], item["name"], item["kind"]
    if not isinstance(code, str) or not ORG_CODE.match(code):
        raise DirectoryError(f"{where}: organisation code {code!r} must be 3-9 capital "
                             "letters or digits")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise DirectoryError(f"{where}: organisation name must be 1-200 characters")
    if kind not in ORG_KINDS:
        raise DirectoryError(f"{where}: kind {kind!r} is not one of {', '.join(ORG_KINDS)}")
    group = check_unix_name(item["group"], f"{where}: organisation group")
    return Org(code=code, name=name.strip(), kind=kind, group=group)


USER_FIELDS = {"name", "org", "role", "practice", "disabled", "password"}


def _parse_user(item: dict, where: str, source: Path, allow_password: bool) -> Person:
    _check_fields(item, {"name", "org", "role"}, USER_FIELDS, where)
    name = check_unix_name(item["name"], f"{where}: user name")
    role = item["role"]
    if role not in ROLES:
        raise DirectoryError(f"{where}: unknown role {role!r}: expected one of {', '.join(ROLES)}")
    password = item.get("password")
    if password is not None:
        if not allow_password:
            raise DirectoryError(f"{where}: passwords belong in {DEMO_USERS_FILE} only (demo mode)")
        if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
            raise DirectoryError(f"{where}: demo password must be at least "
                                 f"{MIN_PASSWORD_LENGTH} characters")
    disabled = item.get("disabled", False)
    if not isinstance(disabled, bool):
        raise DirectoryError(f"{where}: 'disabled' must be true or false")
    practice = item.get("practice")
    return Person(name=name, org=str(item["org"]), role=role, practice=practice,
                  disabled=disabled, password=password, source=source)


def validate(directory: Directory) -> Directory:
    """Cross-checks: users' organisations exist, practices are GP practices, no group clash."""
    check_unix_name(directory.partnership_group, "partnership group")
    check_unix_name(directory.stewards_group, "stewards group (partnership group + '-stewards')")
    groups = [o.group for o in directory.orgs.values()] + [directory.partnership_group]
    dup = {g for g in groups if groups.count(g) > 1}
    where = directory.config_dir / ORGS_FILE if directory.config_dir else ORGS_FILE
    reserved = sorted(g for g in groups if g.startswith("role-"))
    if reserved:
        raise DirectoryError(f"{where}: group name(s) {', '.join(reserved)}: 'role-' names are "
                             "reserved for the hub's role groups")
    if dup:
        raise DirectoryError(f"{where}: group name(s) used twice: {', '.join(sorted(dup))}")
    for p in directory.users.values():
        where = f"{p.source}: user {p.name!r}"
        check_unix_name(p.name, f"{where}: user name")
        if p.role not in ROLES:
            raise DirectoryError(f"{where}: unknown role {p.role!r}: expected one of "
                                 f"{', '.join(ROLES)}")
        if p.org not in directory.orgs:
            raise DirectoryError(f"{where}: unknown organisation {p.org!r}")
        if p.role == "direct_care":
            org = directory.orgs.get(p.practice or "")
            if org is None or org.kind != "gp_practice":
                raise DirectoryError(f"{where}: direct_care needs 'practice', the code of a "
                                     f"gp_practice organisation (got {p.practice!r})")
        elif p.practice is not None:
            raise DirectoryError(f"{where}: 'practice' is only for the direct_care role")
    return directory


def load_directory(config_dir: Path, demo: bool = False) -> Directory:
    """Read organisations.yaml (and demo_users.yaml in demo mode) from `config_dir`, validated."""
    config_dir = Path(config_dir)
    orgs_path = config_dir / ORGS_FILE
    data = _read_yaml(orgs_path)
    org_items = _entries(data, "organisations", orgs_path,
                         {"organisations", "users", "partnership_group"})
    orgs: dict[str, Org] = {}
    for i, item in enumerate(org_items):
        org = _parse_org(item, f"{orgs_path}: organisations[{i}]")
        if org.code in orgs:
            raise DirectoryError(f"{orgs_path}: organisation code {org.code!r} appears twice")
        orgs[org.code] = org
    sources = [(orgs_path, data, False)]
    if demo:
        demo_path = config_dir / DEMO_USERS_FILE
        sources.append((demo_path, _read_yaml(demo_path), True))
    users: dict[str, Person] = {}
    for path, content, allow_password in sources:
        allowed = {"users"} if allow_password else {"organisations", "users", "partnership_group"}
        for i, item in enumerate(_entries(content, "users", path, allowed)):
            person = _parse_user(item, f"{path}: users[{i}]", path, allow_password)
            if person.name in users:
                first = users[person.name].source
                raise DirectoryError(f"{path}: users[{i}]: duplicate user {person.name!r} "
                                     f"(already declared in {first})")
            users[person.name] = person
    group = data.get("partnership_group", DEFAULT_PARTNERSHIP_GROUP)
    return validate(Directory(orgs=orgs, users=users, partnership_group=group,
                              config_dir=config_dir))


# ---- writing back (used by `agora admin`) -------------------------------------------------

def _header(path: Path) -> str:
    """The leading comment block of a YAML file, kept when the file is rewritten."""
    lines = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                break
            lines.append(line)
    return "\n".join(lines) + ("\n" if lines else "")


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _user_record(p: Person) -> dict:
    rec = {k: v for k, v in asdict(p).items() if k not in ("source",)}
    if rec["practice"] is None:
        del rec["practice"]
    if not rec["disabled"]:
        del rec["disabled"]
    if rec["password"] is None:
        del rec["password"]
    return rec


def save(directory: Directory) -> None:
    """Write the directory back to its YAML files (each user to the file it came from)."""
    if directory.config_dir is None:
        raise DirectoryError("directory has no config_dir to save to")
    validate(directory)
    orgs_path = directory.config_dir / ORGS_FILE
    by_file: dict[Path, list[dict]] = {orgs_path: []}
    for p in directory.users.values():
        by_file.setdefault(p.source or orgs_path, []).append(_user_record(p))
    for path, users in by_file.items():
        if path == orgs_path:
            body = {"organisations": [asdict(o) for o in directory.orgs.values()]}
            if directory.partnership_group != DEFAULT_PARTNERSHIP_GROUP:
                body["partnership_group"] = directory.partnership_group
            body["users"] = users
        else:
            body = {"users": users}
        text = yaml.safe_dump(body, sort_keys=False, allow_unicode=True)
        _write_atomic(path, _header(path) + text)


def with_user(directory: Directory, person: Person) -> Directory:
    """A copy of the directory with `person` added or replaced, validated."""
    users = dict(directory.users)
    old = users.get(person.name)
    if old is not None and person.source is None:
        person = replace(person, source=old.source)
    if person.source is None and directory.config_dir is not None:
        person = replace(person, source=directory.config_dir / ORGS_FILE)
    users[person.name] = person
    return validate(replace(directory, users=users))


def with_org(directory: Directory, org: Org) -> Directory:
    """A copy of the directory with a new organisation, validated."""
    if org.code in directory.orgs:
        raise DirectoryError(f"organisation {org.code!r} already exists")
    orgs = dict(directory.orgs)
    orgs[org.code] = _parse_org(asdict(org), f"organisation {org.code!r}")
    return validate(replace(directory, orgs=orgs))
