# ficlens: `make demo` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.install-stamp
OUT    := out

.PHONY: install demo test lint typecheck clean

install: $(STAMP)

# Reinstall only when the dependencies or the lock change; otherwise a no-op.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	@touch $(STAMP)

demo: install
	@mkdir -p $(OUT)
	$(BIN)/ficlens analyze examples/the_lamp_room.txt -o $(OUT)/the_lamp_room.json
	$(BIN)/ficlens analyze examples/the_lamp_room.txt -o $(OUT)/the_lamp_room.html
	@echo "Demo analysis written to $(OUT)/the_lamp_room.json"
	@echo "Demo report written to $(OUT)/the_lamp_room.html (open it in a browser)"

lint: install
	$(BIN)/ruff check src tests $(wildcard benchmarks training)

typecheck: install
	$(BIN)/mypy

test: install lint typecheck
	$(BIN)/pytest

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache
