# Every target sets up what it needs: a fresh clone runs `make demo` or
# `make test` with nothing installed beforehand.

PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin
# ansible-test must run from a path ending in ansible_collections/iotops/aws.
SANITY_TREE := .build/sanity/ansible_collections/iotops/aws
# The pip version ansible-test bootstraps in its venvs names the cache file.
PIP_FOR_ANSIBLE_TEST = $(shell grep -o "pip='[0-9.]*'" $(VENV)/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py | grep -o "[0-9.]*" | tr . _)

.PHONY: help venv test sanity units integration demo build bench clean

help:
	@echo "make demo    run the example rollout gates against the local IoT Jobs endpoint"
	@echo "make test    sanity, unit and integration tests"
	@echo "make bench   fleet-scale benchmark (see benchmarks/RESULTS.md)"

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt test-requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r test-requirements.txt
	touch $@

test: sanity units integration

units: venv
	$(BIN)/pytest -q tests/unit

integration: venv
	$(BIN)/pytest -q -n 2 tests/integration

sanity: venv
	mkdir -p ~/.ansible/test/cache
	cp tests/sanity/get_pip_offline.py ~/.ansible/test/cache/get_pip_$(PIP_FOR_ANSIBLE_TEST).py
	rm -rf $(SANITY_TREE) && mkdir -p $(SANITY_TREE)
	git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t $(SANITY_TREE)
	cd $(SANITY_TREE) && git init -q . && git add -A && \
		$(BIN)/ansible-test sanity --venv --python 3.11 --color no

build: venv
	mkdir -p dist
	$(BIN)/ansible-galaxy collection build --force --output-path dist .

demo: build
	rm -rf .build/demo && mkdir -p .build/demo
	$(BIN)/ansible-galaxy collection install --force -p .build/demo/collections dist/iotops-aws-*.tar.gz
	examples/demo.sh

clean:
	rm -rf $(VENV) .build dist tests/output
