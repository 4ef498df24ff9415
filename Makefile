# Every target sets up what it needs: a fresh clone runs `make demo` or
# `make test` with nothing installed beforehand.

PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin
# ansible-test must run from a path ending in ansible_collections/iotops/aws.
SANITY_TREE := .build/sanity/ansible_collections/iotops/aws
# The pip version ansible-test bootstraps in its venvs names the cache file.
PIP_FOR_ANSIBLE_TEST = $(shell grep -o "pip='[0-9.]*'" $(VENV)/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py | grep -o "[0-9.]*" | tr . _)

.PHONY: help venv test lint sanity units integration demo build bench bench-blast clean docs docs-check

help:
	@echo "make demo    run the example rollout gates against the local IoT Jobs endpoint"
	@echo "make test    docs and changelog checks, sanity, unit and integration tests"
	@echo "make bench   fleet-scale benchmark (see benchmarks/RESULTS.md)"
	@echo "make bench-blast  devices a bad rollout reaches after its limit, four ways to stop it (benchmarks/BLAST_RESULTS.md)"
	@echo "make lint    ansible-lint on the playbooks, examples and metadata (part of make test)"
	@echo "make docs    regenerate docs/plugins/ from the plugins' DOCUMENTATION, EXAMPLES and RETURN"

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt test-requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r test-requirements.txt
	touch $@

test: docs-check lint sanity units integration

units: venv
	$(BIN)/pytest -q tests/unit

integration: venv
	$(BIN)/pytest -q -n 2 tests/integration

# ansible-lint finds iotops.aws through a link to this checkout, the one
# tests/conftest.py makes; an existing link is left alone, since tests may be
# using it.  .ansible-lint keeps ansible-lint offline.
LINT_COLLECTIONS := $(CURDIR)/.build/collections

lint: venv
	mkdir -p $(LINT_COLLECTIONS)/ansible_collections/iotops
	test -e $(LINT_COLLECTIONS)/ansible_collections/iotops/aws || ln -s $(CURDIR) $(LINT_COLLECTIONS)/ansible_collections/iotops/aws
	PATH=$(BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(LINT_COLLECTIONS) $(BIN)/ansible-lint --offline

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

# The fleet-scale benchmark rewrites benchmarks/RESULTS.md; about 6 minutes.
bench: venv
	$(BIN)/python benchmarks/fleet_gate.py

# The blast-radius benchmark rewrites benchmarks/BLAST_RESULTS.md; about 6 minutes.
bench-blast: venv
	$(BIN)/python benchmarks/blast_radius.py

demo: build
	rm -rf .build/demo && mkdir -p .build/demo
	$(BIN)/ansible-galaxy collection install --force -p .build/demo/collections dist/iotops-aws-*.tar.gz
	examples/demo.sh

# ansible-doc finds the collection through a link to this checkout, the one
# tests/conftest.py makes; an existing link is left alone, since tests may be
# using it.  DOCS_DEST lets the docs test generate elsewhere.
DOCS_COLLECTIONS := $(CURDIR)/.build/collections
DOCS_DEST ?= docs/plugins

docs: venv
	mkdir -p $(DOCS_COLLECTIONS)/ansible_collections/iotops $(DOCS_DEST)
	test -e $(DOCS_COLLECTIONS)/ansible_collections/iotops/aws || ln -s $(CURDIR) $(DOCS_COLLECTIONS)/ansible_collections/iotops/aws
	chmod go-w $(DOCS_DEST)
	PATH=$(BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(DOCS_COLLECTIONS) $(BIN)/antsibull-docs collection \
		--use-current --squash-hierarchy --output-format simplified-rst --fail-on-error \
		--no-add-antsibull-docs-version --cleanup everything --dest-dir $(DOCS_DEST) iotops.aws

# Plugin docs (markup, references, RST), changelog fragments and the
# hand-written pages.  Whether docs/plugins/ is current is a test in
# tests/integration/test_docs.py.
docs-check: venv
	PATH=$(BIN):$$PATH $(BIN)/antsibull-docs lint-collection-docs --plugin-docs --output-format simplified-rst \
		--validate-collection-refs dependent --disallow-unknown-collection-refs .
	$(BIN)/antsibull-changelog lint
	$(BIN)/antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml
	$(BIN)/rstcheck --report-level warning docs/*.rst

clean:
	rm -rf $(VENV) .build dist tests/output
