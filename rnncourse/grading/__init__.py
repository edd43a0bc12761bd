"""Grading infrastructure for the course's nbgrader exercises (never the exercises' answers)."""
