"""The classroom's provisioning logic (deploy/classroom), without creating anything: the roster,
the checks that stop bad input before any change, the pinned environments, and the cluster
configuration (deploy/z2jh/config.yaml). tests/test_classroom.py brings a real class up."""

from __future__ import annotations

import re
import socket
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

sys.path.insert(0, str(REPO / "deploy"))
from classroom import __main__ as cli  # noqa: E402
from classroom import envs, preflight, roster  # noqa: E402
from classroom.settings import Settings  # noqa: E402

HEADER = "username,role,name\n"


def test_roster_reads_people_with_their_roles():
    people = roster.parse(
        HEADER + "ada,instructor,Ada Lovelace\ntom,ta\n# a comment\n\nalan,student\n"
    )
    assert [(p.username, p.role, p.staff) for p in people] == [
        ("ada", "instructor", True), ("tom", "ta", True), ("alan", "student", False),
    ]  # fmt: skip
    assert people[0].name == "Ada Lovelace"


def test_roster_names_every_problem_with_its_line():
    text = (
        HEADER
        + "ada,instructor\nAlan,student\nada,student\nbo b,student\nroot,student\nx,teacher\n,student\n"
    )
    with pytest.raises(roster.RosterError) as caught:
        roster.parse(text)
    problems = caught.value.problems
    assert problems == [
        "line 3: user name 'Alan' has capitals; write 'alan'",
        "line 4: user name 'ada' is already on line 2",
        "line 5: user name 'bo b' is not valid: use 1 to 32 lowercase letters, digits or '-', "
        "starting with a letter",
        "line 6: user name 'root' is reserved for the server itself",
        "line 7: role 'teacher' is not one of instructor, ta, student",
        "line 8: the user name is empty",
    ]


def test_roster_rejects_a_duplicate_that_differs_only_in_case():
    with pytest.raises(roster.RosterError, match="already on line 2"):
        roster.parse(HEADER + "ada,instructor\nADA,student\n")


def test_roster_keeps_the_grader_account_for_the_grader():
    with pytest.raises(roster.RosterError, match="reserved"):
        roster.parse(HEADER + "ada,instructor\ngrader-rnn,student\n", reserved={"grader-rnn"})


def test_roster_needs_an_instructor_and_a_header(tmp_path):
    with pytest.raises(roster.RosterError, match="nobody has the role 'instructor'"):
        roster.parse(HEADER + "alan,student\n")
    with pytest.raises(roster.RosterError, match="first line must be"):
        roster.parse("ada,instructor\n")
    with pytest.raises(roster.RosterError, match="no such file"):
        roster.read(tmp_path / "missing.csv")


def test_example_roster_is_valid():
    people = roster.read(REPO / "deploy" / "roster.example.csv")
    assert {p.role for p in people} == {"instructor", "ta", "student"}


def test_a_port_in_use_is_a_conflict_that_names_the_port():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        problems = preflight.ports(Settings(root=Path("/nonexistent"), port=port - 2))
    assert [p.status for p in problems] == [preflight.CONFLICT]
    assert f"port {port} (the hub)" in problems[0].message and "PORT=" in problems[0].message


def test_missing_npm_is_named_with_its_fix():
    problems = preflight.node(Settings(root=Path("/nonexistent")), which=lambda name: None)
    assert [p.status for p in problems] == [preflight.MISSING]
    assert "npm not found" in problems[0].message and "Node.js 20" in problems[0].message


def test_an_old_node_is_refused(tmp_path):
    node = tmp_path / "node"
    node.write_text("#!/bin/sh\necho v18.19.0\n")
    node.chmod(0o755)
    problems = preflight.node(
        Settings(root=Path("/nonexistent")),
        which=lambda n: str(tmp_path / n) if n == "node" else "/usr/bin/npm",
    )
    assert len(problems) == 1 and "has Node.js 18" in problems[0].message


def test_a_bad_roster_stops_the_command_before_anything_happens(tmp_path, capsys):
    bad = tmp_path / "roster.csv"
    bad.write_text(HEADER + "ada,instructor\nada,student\n")
    root = tmp_path / "classroom"
    assert cli.main(["--root", str(root), "up", "--roster", str(bad)]) == preflight.USAGE
    assert "already on line 2" in capsys.readouterr().err
    assert not root.exists()


def test_check_changes_nothing_and_says_why_it_would_stop(tmp_path, capsys):
    good = tmp_path / "roster.csv"
    good.write_text(HEADER + "zz-nobody-prof,instructor\n")
    root = tmp_path / "classroom"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        status = cli.main(
            ["--root", str(root), "check", "--roster", str(good), "--port", str(port)]
        )
    err = capsys.readouterr().err
    assert status in (preflight.MISSING, preflight.CONFLICT) and "nothing was changed" in err
    assert not root.exists()


def test_the_class_environment_adds_the_hub_client_and_the_driver_to_the_course_pins():
    course = set(envs.pins(REPO / "requirements.txt"))
    classroom = envs.pins(envs.COURSE_REQUIREMENTS)
    assert course <= set(classroom), "the classroom's environment must hold every course pin"
    names = {re.sub(r"[-_.]+", "-", pin.split("==")[0]).lower(): pin for pin in classroom}
    hub = {
        re.sub(r"[-_.]+", "-", pin.split("==")[0]).lower(): pin
        for pin in envs.pins(envs.HUB_REQUIREMENTS)
    }
    assert names["jupyterhub"] == hub["jupyterhub"] and names["jupyterhub"].startswith(
        "jupyterhub==6."
    )
    assert "psycopg2-binary" in names and "sqlalchemy" in names
    shared = set(names) & set(hub)
    assert all(names[n] == hub[n] for n in shared), "the two environments pin a package differently"


def test_the_gradebook_url_names_its_driver_and_holds_no_password():
    url = Settings(root=Path("/srv/x")).db_url
    assert url.startswith(
        "postgresql+psycopg2://grader-rnn@/"
    )  # SQLAlchemy 2.1's default is psycopg 3
    assert ":" not in url.split("//", 1)[1].split("@", 1)[0], "a password in the URL"
    assert "host=/srv/x/postgres/run" in url


# --------------------------------------------------------------------------- Zero to JupyterHub

Z2JH = REPO / "deploy" / "z2jh"


def _z2jh() -> dict:
    return yaml.safe_load((Z2JH / "config.yaml").read_text())


def test_the_cluster_config_parses_and_uses_only_keys_the_chart_documents():
    config = _z2jh()
    assert set(config) <= {"hub", "proxy", "singleuser", "scheduling", "cull", "prePuller"}
    assert set(config["hub"]) <= {"config", "services", "loadRoles", "db", "extraConfig",
                                  "extraEnv", "networkPolicy", "image"}  # fmt: skip
    assert set(config["singleuser"]) <= {"image", "storage", "extraFiles", "extraEnv", "cmd",
                                         "defaultUrl", "profileList", "uid", "fsGid",
                                         "networkPolicy", "memory", "cpu"}  # fmt: skip


def test_the_cluster_config_matches_the_single_server_class():
    config = _z2jh()
    course = Settings(root=Path("/srv/x")).course
    assert course in config["hub"]["services"]
    groups = config["hub"]["config"]["JupyterHub"]["load_groups"]
    assert f"formgrade-{course}" in groups and isinstance(groups[f"formgrade-{course}"], dict)
    role = config["hub"]["loadRoles"][f"formgrader-{course}"]
    assert f"access:services!service={course}" in role["scopes"]
    assert config["hub"]["services"][course]["oauth_no_confirm"] is True
    for snippet in [f["stringData"] for f in config["singleuser"]["extraFiles"].values()] + list(
        config["hub"].get("extraConfig", {}).values()
    ):
        compile(snippet, "config.yaml", "exec")  # every embedded Python file is valid Python


def test_the_cluster_config_keeps_no_secret():
    text = (Z2JH / "config.yaml").read_text()
    assert not re.search(r"apiToken:\s*\"?[0-9a-f]{32,}", text), "a real token is committed"
    assert "password" not in text.lower() or "<" in text


def test_the_cluster_grader_mounts_the_exchange_the_user_pods_mount():
    documents = list(yaml.safe_load_all((Z2JH / "formgrader.yaml").read_text()))
    assert all({"apiVersion", "kind", "metadata"} <= set(doc) for doc in documents)
    kinds = {doc["kind"]: doc for doc in documents if doc["kind"] != "PersistentVolumeClaim"}
    claims = {
        doc["metadata"]["name"]: doc for doc in documents if doc["kind"] == "PersistentVolumeClaim"
    }
    assert claims["nbgrader-exchange"]["spec"]["accessModes"] == ["ReadWriteMany"]
    pod = kinds["Deployment"]["spec"]["template"]["spec"]
    mounted = {v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"]}
    user_pods = {
        v["persistentVolumeClaim"]["claimName"]
        for v in _z2jh()["singleuser"]["storage"]["extraVolumes"]
    }
    assert "nbgrader-exchange" in mounted & user_pods
    course = Settings(root=Path("/srv/x")).course
    env = {e["name"]: e.get("value") for e in pod["containers"][0]["env"]}
    assert env["JUPYTERHUB_SERVICE_PREFIX"] == f"/services/{course}/"
