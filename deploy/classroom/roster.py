"""The class list: a CSV file with one person per line, checked before anything is created.

::

    username,role,name
    ada,instructor,Ada Lovelace
    tom,ta,Tom Kilburn
    alan,student,Alan Turing

``username`` becomes a Linux account, a JupyterHub user and an nbgrader student id, so it must be
valid for all three: lowercase letters, digits and ``-``, starting with a letter, at most 32
characters (nbgrader splits exchange file names on ``+``, JupyterHub lowercases names, Linux
rejects most of the rest). ``role`` is ``instructor``, ``ta`` or ``student``; ``name`` is optional.
Every problem in the file is reported at once, with its line number.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

ROLES = ("instructor", "ta", "student")
USERNAME = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
#: Names the server already uses for itself; a person may not take one.
RESERVED = frozenset(
    "root daemon bin sys sync games man lp mail news uucp proxy www-data backup list irc gnats "
    "nobody postgres admin administrator jupyterhub hub systemd-network systemd-resolve "
    "messagebus sshd _apt".split()
)


class RosterError(ValueError):
    """The roster cannot be used; ``problems`` lists every reason, one sentence each."""

    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"the roster {path} cannot be used:\n{lines}")


@dataclass(frozen=True)
class Person:
    username: str
    role: str
    name: str = ""

    @property
    def staff(self) -> bool:
        """Instructors and teaching assistants: they grade."""
        return self.role in ("instructor", "ta")


def read(path: Path, *, reserved: set[str] | frozenset[str] = frozenset()) -> list[Person]:
    """Every person in the roster at ``path``; raise :class:`RosterError` naming every problem.

    ``reserved`` adds names the deployment uses itself (the grader account).
    """
    path = Path(path)
    if not path.is_file():
        raise RosterError(path, ["no such file (start from deploy/roster.example.csv)"])
    text = path.read_text(encoding="utf-8-sig")
    return parse(text, path, reserved=reserved)


def parse(text: str, path: Path = Path("roster"), *, reserved=frozenset()) -> list[Person]:
    """The people in roster ``text`` (the file's content); ``path`` only names it in messages."""
    lines = list(_numbered(text))
    if not lines:
        raise RosterError(path, ["it is empty: it needs a header line 'username,role,name'"])
    _, header = lines[0]
    if [cell.strip().lower() for cell in header[:2]] != ["username", "role"]:
        raise RosterError(
            path, [f"the first line must be 'username,role,name', not {','.join(header)!r}"]
        )
    problems: list[str] = []
    people: list[Person] = []
    seen: dict[str, int] = {}
    taken = RESERVED | set(reserved)
    for line_no, row in lines[1:]:
        cells = [cell.strip() for cell in row] + ["", ""]
        username, role, name = cells[0], cells[1].lower(), cells[2]
        where = f"line {line_no}"
        if not username:
            problems.append(f"{where}: the user name is empty")
            continue
        key = username.lower()
        if key != username and USERNAME.match(key):
            problems.append(f"{where}: user name {username!r} has capitals; write {key!r}")
        elif not USERNAME.match(username):
            problems.append(
                f"{where}: user name {username!r} is not valid: use 1 to 32 lowercase letters, "
                "digits or '-', starting with a letter"
            )
        elif key in taken:
            problems.append(f"{where}: user name {username!r} is reserved for the server itself")
        if key in seen:
            problems.append(f"{where}: user name {username!r} is already on line {seen[key]}")
        else:
            seen[key] = line_no
        if role not in ROLES:
            problems.append(f"{where}: role {cells[1]!r} is not one of {', '.join(ROLES)}")
        people.append(Person(key, role, name))
    if not problems and not any(p.role == "instructor" for p in people):
        problems.append("nobody has the role 'instructor': the class needs one to grade")
    if problems:
        raise RosterError(path, problems)
    return people


def _numbered(text: str):
    """(line number in the file, CSV row) for each non-blank, non-comment line."""
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        yield line_no, next(csv.reader([line]))
