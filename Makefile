# Recurrent Neural Networks from Scratch — every command a student, instructor or maintainer needs.
# `make help` lists them. Set-up is incremental: nothing is reinstalled unless the pins change.

PYTHON ?= python3
PYTEST_ARGS ?= -n auto
# JupyterLab refuses to run as root (containers, some CI) unless told it is intended.
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
FIRST_LECTURE := $(firstword $(sort $(wildcard lectures/01-*.ipynb)))

# Stamps record that an install finished; they are newer than the files they depend on.
BASE_STAMP := $(VENV)/.installed-base
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench

.DEFAULT_GOAL := help
.PHONY: help setup lab test lint fmt nav html student-bundle bench clean

help:  ## Show this list of commands
	@echo "Recurrent Neural Networks from Scratch"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-15s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# The pinned set installs on Python PYTHON_MIN to PYTHON_MAX (README and requirements.txt say the
# same; tests/test_environment.py checks that pip finds every pin for each of them).
PYTHON_MIN := 3.11
PYTHON_MAX := 3.14

$(PY):
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; lo, hi = [tuple(map(int, s.split("."))) for s in ("$(PYTHON_MIN)", "$(PYTHON_MAX)")]; \
	  lo <= v or sys.exit("error: the course needs Python $(PYTHON_MIN) to $(PYTHON_MAX) and $(PYTHON) is %d.%d: install one, then make lab PYTHON=python$(PYTHON_MIN)" % v); \
	  v <= hi or print("note: the course is tested on Python $(PYTHON_MIN) to $(PYTHON_MAX) and $(PYTHON) is %d.%d: some pins may have to compile" % v)'
	$(PYTHON) -m venv $(VENV)

$(BASE_STAMP): requirements.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --editable .
	@touch $@

$(TEST_STAMP): $(BASE_STAMP) pyproject.toml
	$(PY) -m pip install --quiet --editable '.[test]'
	@touch $@

$(BENCH_STAMP): $(TEST_STAMP) pyproject.toml
	$(PY) -m pip install --quiet --editable '.[test,bench]'
	@touch $@

setup: $(BASE_STAMP)  ## Create .venv and install the pinned course environment

# JupyterLab reads the course's settings from jupyter-config/ (nothing goes into ~/.jupyter): lectures
# open unmodified and there is no news prompt (course/); students see only nbgrader's Validate button
# (student/), plus its Assignment List where an nbgrader exchange exists (exchange/).
EXCHANGE ?= /srv/nbgrader/exchange
COURSE_JUPYTER_CONFIG := $(CURDIR)/jupyter-config/course
STUDENT_JUPYTER_CONFIG := $(if $(wildcard $(EXCHANGE)),$(CURDIR)/jupyter-config/exchange:)$(CURDIR)/jupyter-config/student:$(COURSE_JUPYTER_CONFIG)
JUPYTER_LAB := $(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url="/lab/tree/$(FIRST_LECTURE)" $(LAB_ARGS)

lab: $(BASE_STAMP)  ## Set up, then open JupyterLab on the first lecture (the student's view)
	JUPYTER_CONFIG_PATH="$(STUDENT_JUPYTER_CONFIG)$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" $(JUPYTER_LAB)

.PHONY: lab-instructor
lab-instructor: $(BASE_STAMP)  ## JupyterLab with nbgrader's instructor tools too (formgrader, Create Assignment)
	JUPYTER_CONFIG_PATH="$(COURSE_JUPYTER_CONFIG)$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" $(JUPYTER_LAB)

test: $(TEST_STAMP)  ## Set up with the test tools, then run every test
	PATH="$(abspath $(BIN)):$$PATH" $(PY) -m pytest $(PYTEST_ARGS)

lint: $(TEST_STAMP)  ## Lint Python files and notebooks with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(TEST_STAMP)  ## Normalise notebooks (no outputs, canonical JSON), regenerate navigation, format code
	$(PY) -m rnncourse.notebooks fmt
	$(BIN)/ruff check --fix --quiet . || true
	$(BIN)/ruff format --quiet .
	$(PY) -m rnncourse.notebooks fmt

nav: $(BASE_STAMP)  ## Regenerate the lectures' navigation cells and the README's contents
	$(PY) -m rnncourse.notebooks nav

html: $(BASE_STAMP)  ## Execute every lecture and render a readable HTML edition into site/
	$(PY) -m rnncourse.site site

student-bundle: $(BASE_STAMP)  ## Zip what students need (no solutions, no hidden tests) into dist/
	$(PY) -m rnncourse.bundle dist/rnn-course-student.zip

.PHONY: release
release: $(BASE_STAMP)  ## Regenerate exercises/ and solutions/ from source/ (just one: ASSIGNMENT=ex2-bptt)
	PATH="$(abspath $(BIN)):$$PATH" $(PY) -m rnncourse.grading.release $(ASSIGNMENT)

bench: $(BENCH_STAMP)  ## Print speed and memory figures beside their goals (installs torch for comparison)
	PATH="$(abspath $(BIN)):$$PATH" $(PY) benchmarks/run.py $(BENCH_ARGS)

.PHONY: grade
grade: $(BASE_STAMP)  ## Grade submissions: ASSIGNMENT=ex1-forward SUBMISSIONS=folder-or.zip [OUT=] [WORKERS=]
	@test -n "$(ASSIGNMENT)" -a -n "$(SUBMISSIONS)" || { echo "usage: make grade ASSIGNMENT=ex1-forward SUBMISSIONS=path/to/folder-or.zip [OUT=dir] [WORKERS=n] [TIMEOUT=s] [MEMORY=GB]" >&2; exit 2; }
	@command -v bwrap >/dev/null 2>&1 || echo "note: bubblewrap is not installed, so students' code will run unconfined (Debian/Ubuntu: sudo apt-get install bubblewrap)" >&2
	PATH="$(abspath $(BIN)):$$PATH" $(PY) -m rnncourse grade $(ASSIGNMENT) "$(SUBMISSIONS)" $(if $(OUT),--out "$(OUT)") $(if $(WORKERS),--workers $(WORKERS)) $(if $(TIMEOUT),--timeout $(TIMEOUT)) $(if $(MEMORY),--memory $(MEMORY))

# The classroom (deploy/): JupyterHub + nbgrader's exchange + formgrader + a PostgreSQL gradebook.
CLASSROOM = PYTHONPATH="$(CURDIR)/deploy" $(PYTHON) -m classroom $(if $(ROOT),--root "$(ROOT)")

.PHONY: classroom classroom-stop classroom-gradebook
classroom:  ## As root: bring a class up on this server: ROSTER=deploy/roster.csv [PORT=8000]
	$(CLASSROOM) up --roster "$(or $(ROSTER),deploy/roster.csv)" $(if $(PORT),--port $(PORT)) $(if $(IP),--ip $(IP)) $(if $(GRADER),--grader $(GRADER))

classroom-stop:  ## As root: stop the class (PURGE=1 also removes its accounts, gradebook, folders)
	$(CLASSROOM) down $(if $(filter 1 yes true,$(PURGE)),--purge)

classroom-gradebook: $(BASE_STAMP)  ## Grader's service: make grade's results into the class gradebook: ASSIGNMENT=
	@test -n "$(ASSIGNMENT)" || { echo "usage: make classroom-gradebook ASSIGNMENT=ex1-forward [OUT=grades/ex1-forward]" >&2; exit 2; }
	PYTHONPATH="$(CURDIR)/deploy:$(CURDIR)" $(PY) -m classroom.gradebook publish $(ASSIGNMENT) $(if $(OUT),"$(OUT)")

clean:  ## Remove caches and generated artifacts (keeps .venv)
	rm -rf .pytest_cache .ruff_cache artifacts site
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +
