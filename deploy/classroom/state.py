"""What the classroom has created, kept in ``root/classroom.json`` (root only) as it goes, so that
``make classroom-stop PURGE=1`` removes exactly that, even after an interrupted run."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from classroom import system
from classroom.settings import Settings


@dataclass
class State:
    accounts: list[str] = field(default_factory=list)  # Linux accounts, in the order made
    group: bool = False  # the classroom's Linux group was made by it

    @classmethod
    def load(cls, settings: Settings) -> State:
        try:
            data = json.loads(settings.state.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        return cls(accounts=list(data.get("accounts", [])), group=bool(data.get("group")))

    def save(self, settings: Settings) -> None:
        if settings.root.exists():
            system.write(settings.state, json.dumps(asdict(self), indent=1) + "\n", 0o600)
