"""The batch grader finds every student in a folder or zip of submissions and loses no one."""

from __future__ import annotations

import zipfile

import nbformat
import pytest

from rnncourse.grading.submissions import (
    SubmissionsError,
    collect,
    read_problem,
    student_id,
    unpack,
)

A = "ex1-forward"
NOTEBOOK = nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]))


def put(root, rel, text=NOTEBOOK):
    path = root / rel
    if rel.endswith("/"):
        path.mkdir(parents=True, exist_ok=True)
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def found(entries):
    return {e.student: (e.status, e.origin, e.path.name if e.path else None) for e in entries}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("alice", "alice"),
        ("Bob Smith", "Bob-Smith"),
        ("José Ñúñez", "Jose-Nunez"),
        ("smith_j_12345_67890_ex1", "smith_j_12345_67890_ex1"),
        ("a+b*c?[d]", "a-b-c-d"),
        (".hidden", "hidden"),
        ("--", "student"),
        ("anna.lee@uni.edu", "anna.lee-uni.edu"),
    ],
)
def test_student_ids_are_safe_folder_names_and_urls(name, expected):
    assert student_id(name) == expected


def test_flat_files_and_the_nbgrader_layout_both_give_one_entry_per_student(tmp_path):
    put(tmp_path, "alice.ipynb")
    put(tmp_path, f"bob/{A}/{A}.ipynb")
    put(tmp_path, f"carol/{A}.ipynb")  # a folder per student, as some LMSs export
    put(tmp_path, "group-b/dave.ipynb")  # flat files grouped in sub-folders
    put(tmp_path, f"erin/{A}/renamed copy.ipynb")  # the only notebook, under another name
    entries = collect(tmp_path, A)
    assert found(entries) == {
        "alice": (None, "alice.ipynb", "alice.ipynb"),
        "bob": (None, f"bob/{A}/{A}.ipynb", f"{A}.ipynb"),
        "carol": (None, f"carol/{A}.ipynb", f"{A}.ipynb"),
        "dave": (None, "group-b/dave.ipynb", "dave.ipynb"),
        "erin": (None, f"erin/{A}/renamed copy.ipynb", "renamed copy.ipynb"),
    }
    erin = next(e for e in entries if e.student == "erin")
    assert erin.notes == [f"graded renamed copy.ipynb (expected {A}.ipynb)"]


def test_students_without_a_notebook_are_missing_and_other_files_are_invalid(tmp_path):
    put(tmp_path, "alice.ipynb")
    put(tmp_path, f"bob/{A}/")  # collected, but empty
    put(tmp_path, "carol/essay.pdf", "%PDF")  # a folder without any notebook
    put(tmp_path, f"dave/{A}/notes.ipynb")
    put(tmp_path, f"dave/{A}/draft.ipynb")  # two notebooks, neither is the assignment's
    put(tmp_path, "erin.pdf", "%PDF")
    statuses = {e.student: (e.status, e.notes) for e in collect(tmp_path, A)}
    assert statuses == {
        "alice": (None, None),
        "bob": ("missing", [f"no {A}.ipynb in bob/"]),
        "carol": ("missing", [f"no {A}.ipynb in carol/ (found: essay.pdf)"]),
        "dave": ("missing", [f"no {A}.ipynb among draft.ipynb, notes.ipynb"]),
        "erin": ("invalid", ["erin.pdf is not a notebook (.ipynb)"]),
    }


def test_debris_is_ignored_and_a_wrapping_folder_is_entered(tmp_path):
    put(tmp_path, "export/alice.ipynb")
    put(tmp_path, "export/.ipynb_checkpoints/alice-checkpoint.ipynb")
    put(tmp_path, f"export/bob/{A}/.ipynb_checkpoints/{A}-checkpoint.ipynb")
    put(tmp_path, f"export/bob/{A}/{A}.ipynb")
    put(tmp_path, "export/.DS_Store", "junk")
    put(tmp_path, "__MACOSX/export/._alice.ipynb", "junk")
    put(tmp_path, "export/Thumbs.db", "junk")
    assert found(collect(tmp_path, A)) == {
        "alice": (None, "alice.ipynb", "alice.ipynb"),
        "bob": (None, f"bob/{A}/{A}.ipynb", f"{A}.ipynb"),
    }


def test_nbgraders_submitted_folder_with_several_assignments(tmp_path):
    put(tmp_path, f"submitted/alice/{A}/{A}.ipynb")
    put(tmp_path, f"submitted/alice/{A}/timestamp.txt", "2025-01-01 10:00:00 UTC")
    put(tmp_path, "submitted/alice/ex2-bptt/ex2-bptt.ipynb")
    put(tmp_path, "submitted/bob/ex2-bptt/ex2-bptt.ipynb")  # bob handed in exercise 2 only
    entries = collect(tmp_path / "submitted", A)
    assert [(e.student, e.status, e.origin) for e in entries] == [
        ("alice", None, f"alice/{A}/{A}.ipynb"),
        ("bob", "missing", "bob/"),
    ]


def test_the_graders_own_output_inside_the_input_is_left_out(tmp_path):
    put(tmp_path, "alice.ipynb")
    put(tmp_path, f"grades/{A}/autograded/alice/{A}/{A}.ipynb")
    put(tmp_path, f"grades/{A}/source/{A}/{A}.ipynb")
    entries = collect(tmp_path, A, exclude=tmp_path / "grades" / A)
    assert [e.student for e in entries] == ["alice"]


def test_a_single_student_folder_is_not_mistaken_for_a_wrapper(tmp_path):
    put(tmp_path, f"alice/{A}/{A}.ipynb")
    assert found(collect(tmp_path, A)) == {"alice": (None, f"alice/{A}/{A}.ipynb", f"{A}.ipynb")}


def test_two_inputs_with_the_same_id_are_both_kept_never_merged(tmp_path):
    put(tmp_path, "Anna Lee.ipynb")
    put(tmp_path, "Anna-Lee.ipynb")
    put(tmp_path, f"Anna_Lee/{A}/{A}.ipynb")
    put(tmp_path, "Anna-Lee-2.ipynb")  # a real id that the renaming must not take
    entries = collect(tmp_path, A)
    assert [(e.student, e.origin) for e in entries] == [
        ("Anna-Lee", "Anna Lee.ipynb"),
        ("Anna-Lee-2", "Anna-Lee-2.ipynb"),
        ("Anna-Lee-3", "Anna-Lee.ipynb"),
        ("Anna_Lee", f"Anna_Lee/{A}/{A}.ipynb"),
    ]
    assert entries[2].notes == ["id 'Anna-Lee' was already used by Anna Lee.ipynb"]


def test_a_zip_unpacks_inside_its_folder_only(tmp_path):
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("class/alice.ipynb", NOTEBOOK)
        zf.writestr(f"class/bob/{A}/{A}.ipynb", NOTEBOOK)
        zf.writestr("../escape.ipynb", NOTEBOOK)
        zf.writestr("/etc/absolute.ipynb", NOTEBOOK)
        zf.writestr("__MACOSX/class/._alice.ipynb", b"\x00")
        zf.writestr("class/carol/", b"")  # an empty student folder
    root = unpack(archive, tmp_path / "unpacked")
    assert not (tmp_path / "escape.ipynb").exists()
    assert found(collect(root, A)) == {
        "alice": (None, "alice.ipynb", "alice.ipynb"),
        "bob": (None, f"bob/{A}/{A}.ipynb", f"{A}.ipynb"),
        "carol": ("missing", "carol/", None),
    }
    with pytest.raises(SubmissionsError, match="not a readable zip"):
        unpack(put(tmp_path, "fake.zip", "not a zip"), tmp_path / "x")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (NOTEBOOK, None),
        ("", "the file is empty"),
        ("  \n", "the file is empty"),
        (NOTEBOOK[:200], "not a notebook: the file is not valid JSON"),
        ("def ewma(x):\n    return x\n", "not a notebook: the file is not valid JSON"),
        (
            '{"name": "homework"}',
            "not a notebook: JSON, but without the fields of a Jupyter notebook",
        ),
        ("[1, 2, 3]", "not a notebook: JSON, but without the fields of a Jupyter notebook"),
        (
            '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": '
            '[{"cell_type": "x", "metadata": {}, "source": ""}]}',
            "not a notebook: cell 0 is not a code, markdown or raw cell",
        ),
        (
            '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", '
            '"id": "a", "metadata": {}, "source": 5, "outputs": [], "execution_count": null}]}',
            "not a notebook: cell 0 has no source text",
        ),
    ],
)
def test_unreadable_notebooks_are_named_with_the_reason(tmp_path, content, problem):
    assert read_problem(put(tmp_path, "s.ipynb", content)) == problem


def test_binary_files_are_not_notebooks(tmp_path):
    path = tmp_path / "s.ipynb"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    assert read_problem(path) == "not a notebook: the file is not text (UTF-8)"
