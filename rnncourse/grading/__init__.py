"""Grading infrastructure for the course's nbgrader exercises (never the exercises' answers)."""

import sys

# nbformat validates notebooks with jsonschema, which imports the optional IRI checker
# rfc3987_syntax if it is installed (JupyterLab's dependencies install it); that module compiles
# a grammar at import, about a second of CPU in every process the grader starts. Notebook schemas
# use no IRI formats, so the grading processes do without it. A process that has already loaded
# it (e.g. a Jupyter server reading nbgrader_config.py) keeps it.
sys.modules.setdefault("rfc3987_syntax", None)
