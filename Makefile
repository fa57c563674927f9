# The two commands of the README:  `make demo`  and  `make test`.
# Each creates the virtual environment (.venv) if it is missing.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: install demo test clean-check

$(STAMP): requirements.txt settings.ini setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

## the main job on the embedded synthetic dataset (CPU, minutes)
demo: install
	$(BIN)/lgan demo

## nbdev_clean and nbdev_export must leave the tree unchanged, then nbdev_test
test: install clean-check
	OMP_NUM_THREADS=1 $(BIN)/nbdev_test --n_workers 2 --timing --skip_file_re '^([_.]|62_learning)'
	OMP_NUM_THREADS=1 $(BIN)/nbdev_test --timing --path nbs/62_learning.ipynb   # the learning test last, on the 2 cores alone (it runs its two trainings side by side)

clean-check:
	@before="$$(git status --porcelain; git diff)"; \
	$(BIN)/nbdev_clean && $(BIN)/nbdev_export; \
	after="$$(git status --porcelain; git diff)"; \
	if [ "$$before" != "$$after" ]; then \
	  echo "nbdev_clean / nbdev_export changed the tree: run them and commit the result"; \
	  git status --short; exit 1; fi
