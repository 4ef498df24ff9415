# Every target sets up what it needs: a fresh clone runs `make demo` or
# `make test` with nothing installed beforehand.

PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin
# ansible-test must run from a path ending in ansible_collections/iotops/aws.
SANITY_TREE := .build/sanity/ansible_collections/iotops/aws
COLLECTION_VERSION = $(shell sed -n 's/^version: *//p' galaxy.yml)

.PHONY: help venv test lint sanity units integration demo build bench bench-blast clean docs docs-check matrix matrix-others floor smoke
.PHONY: release-check conformance eda-venv eda-test bench-blast-guard

help:
	@echo "make demo    run the example rollout gates against the local IoT Jobs endpoint"
	@echo "make test    docs and changelog checks, sanity, unit and integration tests"
	@echo "make bench   fleet-scale benchmark (see benchmarks/RESULTS.md)"
	@echo "make bench-blast  devices a bad rollout reaches after its limit, four ways to stop it (benchmarks/BLAST_RESULTS.md)"
	@echo "make lint    ansible-lint on the playbooks, examples and metadata (part of make test)"
	@echo "make docs    regenerate docs/plugins/ from the plugins' DOCUMENTATION, EXAMPLES and RETURN"
	@echo "make matrix  sanity, unit tests and the smoke set on every supported ansible-core (2.16 to 2.19)"
	@echo "make matrix-others  the same on every supported ansible-core but the one make test uses"
	@echo "make floor   the smoke set with the lowest boto3 and botocore requirements.txt accepts"
	@echo "make smoke   the smoke set (pytest -m smoke) in .venv"
	@echo "make release-check  build the tarball and run Galaxy's import checks on it (galaxy-importer, ansible-lint)"
	@echo "make conformance  the smoke set and the conformance tests against MiniStack, a second emulator"
	@echo "make eda-test  the event source and the guard rulebook, with the real ansible-rulebook (needs Java 17)"

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
	$(call sanity-run,$(VENV),$(SANITY_TREE))

build: venv
	mkdir -p dist
	$(BIN)/ansible-galaxy collection build --force --output-path dist .

# -- Release check ---------------------------------------------------------
# The tarball as Galaxy checks it on upload: galaxy-importer, in its own venv,
# with ansible-doc and ansible-lint (offline) on, per .ci/galaxy-importer.cfg.
# Galaxy also runs ansible-test sanity in a container, which this target
# cannot start (run_ansible_test = False); `make sanity` runs the same tests.
# Any ERROR or WARNING line in the importer's output fails the target.
RELEASE_CHECK := .build/release-check
GALAXY_IMPORTER := galaxy-importer==0.4.44
RELEASE_CHECK_PINS = $(GALAXY_IMPORTER) $(shell grep -E '^(ansible-core|ansible-lint)==' test-requirements.txt)

$(RELEASE_CHECK)/venv/.installed: test-requirements.txt
	rm -rf $(RELEASE_CHECK)/venv
	$(PYTHON) -m venv $(RELEASE_CHECK)/venv
	$(RELEASE_CHECK)/venv/bin/pip install --quiet --disable-pip-version-check $(RELEASE_CHECK_PINS)
	touch $@

release-check: build $(RELEASE_CHECK)/venv/.installed
	cd $(RELEASE_CHECK) && GALAXY_IMPORTER_CONFIG=$(CURDIR)/.ci/galaxy-importer.cfg PATH=$(CURDIR)/$(RELEASE_CHECK)/venv/bin:$$PATH \
		venv/bin/python -m galaxy_importer.main $(CURDIR)/dist/iotops-aws-$(COLLECTION_VERSION).tar.gz > importer.log 2>&1 \
		|| { cat importer.log; exit 1; }
	@cat $(RELEASE_CHECK)/importer.log
	@! grep -E '^(ERROR|WARNING)' $(RELEASE_CHECK)/importer.log > /dev/null \
		|| { echo "galaxy-importer reported errors or warnings:"; grep -E '^(ERROR|WARNING)' $(RELEASE_CHECK)/importer.log; exit 1; }

# The fleet-scale benchmark rewrites benchmarks/RESULTS.md; about 6 minutes, and as long again for the stage rows.
bench: venv
	$(BIN)/python benchmarks/fleet_gate.py

# The blast-radius benchmark rewrites benchmarks/BLAST_RESULTS.md; about 6 minutes.
bench-blast: venv
	$(BIN)/python benchmarks/blast_radius.py

# Approach (e) alone, the EDA guard, about a minute: its results go to
# benchmarks/BLAST_RESULTS_guard.md and blast_results_guard.json, beside the
# full run's.
bench-blast-guard: venv
	$(BIN)/python benchmarks/blast_radius.py --approaches eda_guard --command "make bench-blast-guard" \
		--output benchmarks/BLAST_RESULTS_guard.md --raw benchmarks/blast_results_guard.json

# The demo's own venv holds what it runs, not the test toolchain: the
# collection's runtime (ansible-core, boto3, botocore, at test-requirements.txt's
# pins) and the local endpoint's (moto, and the Flask app moto's server is; the
# tests get Flask through moto[server], whose other extras the demo never uses).
DEMO := .build/demo
DEMO_PINS = $(shell sed -nE 's/^(ansible-core|boto3|botocore)==/&/p; s/^moto\[server\]==/moto==/p' test-requirements.txt)
DEMO_SERVER := flask==3.1.3 flask-cors==6.0.5

$(DEMO)/venv/.installed: requirements.txt test-requirements.txt
	rm -rf $(DEMO)/venv
	$(PYTHON) -m venv $(DEMO)/venv
	$(DEMO)/venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt $(DEMO_PINS) $(DEMO_SERVER)
	touch $@

demo: $(DEMO)/venv/.installed
	mkdir -p dist
	$(DEMO)/venv/bin/ansible-galaxy collection build --force --output-path dist .
	rm -rf $(DEMO)/collections
	ANSIBLE_COLLECTIONS_PATH=$(DEMO)/collections $(DEMO)/venv/bin/ansible-galaxy collection install --force \
		-p $(DEMO)/collections dist/iotops-aws-$(COLLECTION_VERSION).tar.gz
	DEMO_DIR=$(CURDIR)/$(DEMO) DEMO_VENV=$(CURDIR)/$(DEMO)/venv examples/demo.sh

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

# -- Support matrix ------------------------------------------------------
# Each supported ansible-core minor, at its latest patch, gets a venv of its
# own under .build/matrix/ with the test pins of test-requirements.txt, and
# runs its own ansible-test sanity, the plugins' unit tests and the smoke set
# (the integration tests marked `smoke`: one real playbook per plugin at
# least).  The rest of make test does not depend on ansible-core's version.
# Venvs are built once (a stamp file) and pip's cache is used.
MATRIX_CORE := 2.16 2.17 2.18 2.19
CORE_2.16 := 2.16.19
CORE_2.17 := 2.17.14
CORE_2.18 := 2.18.19
CORE_2.19 := 2.19.14
MATRIX := .build/matrix
# The test tools, at the versions test-requirements.txt pins.
MATRIX_TOOLS = $(shell grep -E '^(moto\[server\]|pytest|pytest-xdist|ansible-runner)==' test-requirements.txt)
TEST_BOTO = $(shell grep -E '^(boto3|botocore)==' test-requirements.txt)
# The floor: the lowest boto3 and botocore requirements.txt accepts, on the
# lowest supported ansible-core.
FLOOR_BOTO = $(shell sed -n 's/^\(boto3\|botocore\)>=\([0-9.]*\).*/\1==\2/p' requirements.txt)
FLOOR_CORE := 2.16
FLOOR := .build/floor

# $(call matrix-venv,dir,ansible-core version,boto pins)
define matrix-venv
	rm -rf $(1)
	$(PYTHON) -m venv $(1)
	$(1)/bin/pip install --quiet --disable-pip-version-check ansible-core==$(2) $(3) $(MATRIX_TOOLS)
	touch $(1)/.installed
endef

# A venv's directory names its ansible-core version: a new pin, a new venv.
$(MATRIX)/core-%/venv/.installed: requirements.txt test-requirements.txt
	$(call matrix-venv,$(MATRIX)/core-$*/venv,$*,$(TEST_BOTO))

$(FLOOR)/venv/.installed: requirements.txt test-requirements.txt
	$(call matrix-venv,$(FLOOR)/venv,$(CORE_$(FLOOR_CORE)),$(FLOOR_BOTO))

.PRECIOUS: $(MATRIX)/core-%/venv/.installed

# $(call sanity-run,venv dir,tree dir): sanity with that venv's ansible-test,
# from a copy of the checkout.  Each ansible-test pins its own pip (the first
# pin is the one for current Pythons); the offline get-pip stand-in is cached
# under that version's name.
define sanity-run
	mkdir -p ~/.ansible/test/cache
	cp tests/sanity/get_pip_offline.py ~/.ansible/test/cache/get_pip_$$(grep -o "pip='[0-9.]*'" \
		$(1)/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py | head -n 1 | grep -o "[0-9.]*" | tr . _).py
	rm -rf $(2) && mkdir -p $(2)
	git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t $(2)
	cd $(2) && git init -q . && git add -A && \
		$(abspath $(1))/bin/ansible-test sanity --venv --python 3.11 --color no
endef

matrix: $(addprefix matrix-,$(MATRIX_CORE))

# The legs on the other ansible-core minors than the test pins' own, whose
# sanity, unit and integration tests make test already runs: what CI adds.
TEST_CORE := $(shell sed -n 's/^ansible-core==\([0-9]*\.[0-9]*\)\..*/\1/p' test-requirements.txt)
matrix-others: $(addprefix matrix-,$(filter-out $(TEST_CORE),$(MATRIX_CORE)))

.PHONY: $(addprefix matrix-,$(MATRIX_CORE))
# The venv's path depends on the stem: expanded a second time.
.SECONDEXPANSION:
$(addprefix matrix-,$(MATRIX_CORE)): matrix-%: $$(MATRIX)/core-$$(CORE_$$*)/venv/.installed
	@echo "== ansible-core $(CORE_$*): sanity"
	$(call sanity-run,$(MATRIX)/core-$(CORE_$*)/venv,$(MATRIX)/core-$(CORE_$*)/sanity/ansible_collections/iotops/aws)
	@echo "== ansible-core $(CORE_$*): unit tests"
	$(MATRIX)/core-$(CORE_$*)/venv/bin/pytest -q -p no:cacheprovider tests/unit/plugins
	@echo "== ansible-core $(CORE_$*): smoke set"
	$(MATRIX)/core-$(CORE_$*)/venv/bin/pytest -q -p no:cacheprovider -m smoke tests/integration

smoke: venv
	$(BIN)/pytest -q -m smoke tests/integration

floor: $(FLOOR)/venv/.installed
	@echo "== $(FLOOR_BOTO), ansible-core $(CORE_$(FLOOR_CORE)): smoke set"
	$(FLOOR)/venv/bin/pytest -q -p no:cacheprovider -m smoke tests/integration

# -- Conformance ---------------------------------------------------------
# MiniStack, an AWS emulator written outside this project, in a venv of its
# own: the tests marked `conformance` run against it unchanged, the rest of
# the smoke set is skipped there (tests/endpoints.py).  tests/ministack.sh
# starts it on a free loopback port and always stops it.
MINISTACK_VERSION := 1.5.33
CONFORMANCE := .build/conformance

$(CONFORMANCE)/venv/.installed-$(MINISTACK_VERSION):
	rm -rf $(CONFORMANCE)/venv
	$(PYTHON) -m venv $(CONFORMANCE)/venv
	$(CONFORMANCE)/venv/bin/pip install --quiet --disable-pip-version-check ministack==$(MINISTACK_VERSION)
	touch $@

conformance: venv $(CONFORMANCE)/venv/.installed-$(MINISTACK_VERSION)
	tests/ministack.sh $(CONFORMANCE)/venv/bin/ministack \
		$(BIN)/pytest -q -p no:cacheprovider -rsx -m "smoke or conformance" tests/integration

# -- Event-Driven Ansible ------------------------------------------------
# ansible-rulebook gets a venv of its own: it pins its own dependencies, and
# the event source runs in its process, so the venv also has the collection's
# runtime requirements (boto3, botocore, ansible-core) at the test pins.  The
# rulebook's modules run with .venv's Python (ansible_python_interpreter).
EDA := .build/eda
EDA_RULEBOOK := 1.3.2

$(EDA)/venv/.installed: requirements.txt test-requirements.txt
	@java -version >/dev/null 2>&1 || { echo "ansible-rulebook needs a Java 17 runtime (java on PATH, or JAVA_HOME):" \
		"apt-get install openjdk-17-jre-headless, dnf install java-17-openjdk-headless or brew install openjdk@17"; exit 1; }
	rm -rf $(EDA)/venv
	$(PYTHON) -m venv $(EDA)/venv
	$(EDA)/venv/bin/pip install --quiet --disable-pip-version-check ansible-rulebook==$(EDA_RULEBOOK) \
		$(shell grep -E '^(ansible-core|boto3|botocore)==' test-requirements.txt)
	touch $@

eda-venv: $(EDA)/venv/.installed

# The source's own tests drive its main() against the local endpoint; the
# rulebook's run the real ansible-rulebook.  A few minutes.
eda-test: venv eda-venv
	EDA_VENV=$(abspath $(EDA)/venv) $(BIN)/pytest -q -p no:cacheprovider tests/eda

clean:
	rm -rf $(VENV) .build dist tests/output
