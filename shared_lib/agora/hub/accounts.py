"""Unix accounts and folders: one user per person, one group per organisation.

Layout and modes under the data directory (root owns everything not listed as a person's):
  home/<user>        0700 user           their home (links: org, shared, store, scratch)
  orgs/<CODE>        2770 root:<org grp> the organisation's private workspace (setgid)
  shared/            2770 root:partners  partnership-wide shared folder
  dqir/              2770 root:stewards  data quality issues register (stewards write it)
  scratch/<user>     0700 user           the person's scratch DuckDB databases
  store/             0755 root           published snapshots, read-only to everyone else
  feeds/ quarantine/ audit/ hub/  0700 root   identifiable or secret: no analyst can read them
The pseudonymisation key file is forced to 0600 root.
"""
from __future__ import annotations

import grp
import os
import pwd
import subprocess
import time
from pathlib import Path

import psutil

from ..config import Settings
from .errors import AccountError
from .orgs import Directory, Person, check_unix_name
from .roles import WORKSPACE_ROLES

SYSTEM_UID_MAX = 999
LOCK_RETRIES = 20


def _run(*cmd: str) -> None:
    """Run a user/group administration command; retry while /etc/passwd is locked by another."""
    for attempt in range(LOCK_RETRIES):
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode == 0:
            return
        if "lock" in proc.stderr.lower() and attempt < LOCK_RETRIES - 1:
            time.sleep(0.1 + 0.05 * attempt)
            continue
        raise AccountError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()}")


def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
        return True
    except KeyError:
        return False


def ensure_group(name: str) -> None:
    check_unix_name(name, "group")
    if not group_exists(name):
        _run("groupadd", name)


def ensure_user(name: str, home: Path, groups: list[str]) -> pwd.struct_passwd:
    """Create (or update the groups of) a person's Unix account; never touches system accounts."""
    check_unix_name(name, "user")
    if user_exists(name):
        entry = pwd.getpwnam(name)
        if entry.pw_uid <= SYSTEM_UID_MAX:
            raise AccountError(f"{name!r} is a system account (uid {entry.pw_uid}); "
                               "choose another name")
        # new groups and home; an empty expiry date re-enables a disabled account
        _run("usermod", "-G", ",".join(groups), "-d", str(home), "-e", "", name)
    else:
        _run("useradd", "--home-dir", str(home), "--no-create-home", "--shell", "/bin/bash",
             "--user-group", "--groups", ",".join(groups), name)
    return pwd.getpwnam(name)


def lock_user(name: str) -> None:
    """Disable a person's Unix account (expired, so no login of any kind); their files stay."""
    if user_exists(name):
        _run("usermod", "-e", "1", name)


def kill_processes(name: str) -> None:
    """Kill (by pid) every process running as a person's account: used before removal."""
    uid = pwd.getpwnam(name).pw_uid
    procs = [p for p in psutil.process_iter(["uids"])
             if p.info["uids"] and p.info["uids"].real == uid]
    for proc in procs:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(procs, timeout=10)


def remove_user(name: str) -> None:
    if user_exists(name):
        kill_processes(name)
        _run("userdel", name)
    if group_exists(name):  # the user's private group, if userdel left it
        _run("groupdel", name)


def remove_group(name: str) -> None:
    if group_exists(name):
        _run("groupdel", name)


def _dir(path: Path, mode: int, uid: int = 0, gid: int = 0) -> None:
    path.mkdir(parents=True, exist_ok=True)
    os.chown(path, uid, gid)
    os.chmod(path, mode)


def _link(link: Path, target: Path, uid: int, gid: int) -> None:
    if link.is_symlink() or link.exists():
        if link.is_symlink() and Path(os.readlink(link)) == target:
            return
        if not link.is_symlink():
            return  # the person made something of their own there: leave it
        link.unlink()
    link.symlink_to(target)
    os.lchown(link, uid, gid)


def prepare_data_dir(s: Settings, directory: Directory) -> None:
    """Create the shared layout with its owners and modes (idempotent)."""
    _dir(s.data_dir, 0o755)
    for d in (s.store_dir, s.orgs_dir, s.scratch_dir, s.homes_dir):
        _dir(d, 0o755)
    for d in (s.feeds_dir, s.quarantine_dir, s.audit_dir, s.hub_dir):
        _dir(d, 0o700)
    ensure_group(directory.partnership_group)
    _dir(s.shared_dir, 0o2770, gid=grp.getgrnam(directory.partnership_group).gr_gid)
    ensure_group(directory.stewards_group)
    _dir(s.dqir_dir, 0o2770, gid=grp.getgrnam(directory.stewards_group).gr_gid)
    for org in directory.orgs.values():
        ensure_group(org.group)
        _dir(s.orgs_dir / org.code, 0o2770, gid=grp.getgrnam(org.group).gr_gid)
    if s.key_file.exists():
        os.chown(s.key_file, 0, 0)
        os.chmod(s.key_file, 0o600)


def unix_groups(directory: Directory, person: Person) -> list[str]:
    """Supplementary groups of a person: their organisation, the partnership, and the stewards'
    group for data stewards."""
    groups = [directory.org_of(person).group, directory.partnership_group]
    return groups + [directory.stewards_group] if person.role == "steward" else groups


def setup_person(s: Settings, directory: Directory, person: Person) -> None:
    """Account, home, scratch folder and links for one person (viewers get no account)."""
    if person.disabled:
        lock_user(person.name)
        return
    if person.role not in WORKSPACE_ROLES:
        return
    home = s.homes_dir / person.name
    entry = ensure_user(person.name, home, unix_groups(directory, person))
    uid, gid = entry.pw_uid, entry.pw_gid
    _dir(home, 0o700, uid, gid)
    scratch = s.scratch_dir / person.name
    _dir(scratch, 0o700, uid, gid)
    for name, target in (("org", s.orgs_dir / person.org), ("shared", s.shared_dir),
                         ("store", s.store_dir), ("scratch", scratch)):
        _link(home / name, target, uid, gid)


def setup_all(s: Settings, directory: Directory) -> None:
    """The data layout, every organisation group and every person's account."""
    prepare_data_dir(s, directory)
    for person in directory.users.values():
        setup_person(s, directory, person)


def teardown_all(directory: Directory) -> None:
    """Remove every account and group of a directory (test clean-up; files are left)."""
    for person in directory.users.values():
        remove_user(person.name)
    for group in [*directory.groups(), directory.partnership_group, directory.stewards_group]:
        remove_group(group)
