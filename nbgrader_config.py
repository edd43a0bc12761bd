"""nbgrader settings for the course (read by `nbgrader …` run from this folder, and by formgrader).

Instructors: `make release` regenerates `exercises/` and `solutions/` from `source/`; see the
README's instructor guide for collecting, autograding and feedback.
"""

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import GetGrades

from rnncourse.grading.feedback import HideHiddenTests

c = get_config()  # noqa: F821  (provided by traitlets when it loads this file)

c.CourseDirectory.course_id = "rnn-from-scratch"
# source/<assignment>/ holds the instructor's notebooks with solutions and hidden tests;
# exercises/<assignment>/ receives the student versions that nbgrader generates from them.
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "exercises"

# A student cell that loops forever must not stall grading: every cell gets this many seconds.
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True

# A submission that deleted a test cell gets it back from the source: it runs and scores as usual.
c.OverwriteCells.add_missing_cells = True

# Feedback shows what went wrong in words, never the hidden tests or their traceback lines.
c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]

# The Validate button lists each part of the exercise, passed or what its test found, never the
# test code (rnncourse/grading/validate_button.py says how and why).
from rnncourse.grading import validate_button  # noqa: E402

validate_button.install()
