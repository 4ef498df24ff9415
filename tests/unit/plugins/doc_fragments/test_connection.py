"""The connection doc fragment must describe CONNECTION_ARGUMENT_SPEC exactly.

Options are declared twice, once for Python and once for the docs; these
tests fail when one changes without the other.
"""

from __future__ import annotations

import re

import pytest
import yaml
from ansible.module_utils.basic import env_fallback

from ansible_collections.iotops.aws.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.iotops.aws.plugins.module_utils.connection import (
    CONNECTION_ARGUMENT_SPEC,
    DEFAULT_BOTOCORE_CONFIG,
)
from ansible_collections.iotops.aws.plugins.module_utils.errors import SECRET_OPTIONS
from ansible_collections.iotops.aws.plugins.module_utils.retries import MAX_UNANSWERED_ATTEMPTS

VARIANTS = ("DOCUMENTATION", "PLUGINS")
ENV_SENTENCE = re.compile(r"^The environment variables? (?P<names>.*) (?:is|are) read when the option is not set")


def documented(variant):
    return yaml.safe_load(getattr(ModuleDocFragment, variant))["options"]


def env_fallbacks(spec):
    fallback = spec.get("fallback")
    if not fallback:
        return []
    strategy, names = fallback
    assert strategy is env_fallback
    return list(names)


def described_env(doc):
    """The variables a DOCUMENTATION option's description names, in order."""
    sentences = [ENV_SENTENCE.match(line) for line in doc["description"]]
    sentences = [match for match in sentences if match]
    assert len(sentences) <= 1
    return re.findall(r"E\((\w+)\)", sentences[0].group("names")) if sentences else []


@pytest.mark.parametrize("variant", VARIANTS)
def test_fragment_documents_exactly_the_argument_spec(variant):
    assert list(documented(variant)) == list(CONNECTION_ARGUMENT_SPEC)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("option", list(CONNECTION_ARGUMENT_SPEC))
def test_option_type_aliases_and_default_match(variant, option):
    spec = CONNECTION_ARGUMENT_SPEC[option]
    doc = documented(variant)[option]
    assert doc["type"] == spec["type"]
    assert doc.get("aliases", []) == spec.get("aliases", [])
    assert doc.get("default") == spec.get("default")
    assert "required" not in doc and not spec.get("required")


@pytest.mark.parametrize("option", list(CONNECTION_ARGUMENT_SPEC))
def test_plugins_env_entries_are_the_env_fallbacks_reversed(option):
    doc = documented("PLUGINS")[option]
    # ansible-core lets the last env entry that is set win; fallbacks, the first.
    assert [entry["name"] for entry in doc.get("env", [])] == env_fallbacks(CONNECTION_ARGUMENT_SPEC[option])[::-1]


@pytest.mark.parametrize("option", list(CONNECTION_ARGUMENT_SPEC))
def test_module_docs_name_the_env_fallbacks_in_order(option):
    doc = documented("DOCUMENTATION")[option]
    assert "env" not in doc  # module docs may not carry env entries
    assert described_env(doc) == env_fallbacks(CONNECTION_ARGUMENT_SPEC[option])


def test_both_variants_document_the_same_options():
    modules, plugins = documented("DOCUMENTATION"), documented("PLUGINS")
    assert list(modules) == list(plugins)
    for option in modules:
        assert modules[option].get("aliases") == plugins[option].get("aliases"), option
        assert modules[option]["type"] == plugins[option]["type"], option
        assert modules[option].get("default") == plugins[option].get("default"), option


def test_no_alias_is_claimed_twice():
    names = [name for option, spec in CONNECTION_ARGUMENT_SPEC.items() for name in [option] + spec.get("aliases", [])]
    assert len(names) == len(set(names))


def test_secret_options_are_the_no_log_options():
    no_log = [option for option, spec in CONNECTION_ARGUMENT_SPEC.items() if spec.get("no_log")]
    assert no_log == list(SECRET_OPTIONS)
    for variant in VARIANTS:
        for option in SECRET_OPTIONS:
            assert "Never logged" in " ".join(documented(variant)[option]["description"])


@pytest.mark.parametrize("variant", VARIANTS)
def test_fragment_documents_the_botocore_defaults(variant):
    text = " ".join(documented(variant)["aws_config"]["description"])
    assert "{0} attempts".format(DEFAULT_BOTOCORE_CONFIG["retries"]["total_max_attempts"]) in text
    assert "{0} s connect timeout".format(DEFAULT_BOTOCORE_CONFIG["connect_timeout"]) in text
    assert "{0} s read timeout".format(DEFAULT_BOTOCORE_CONFIG["read_timeout"]) in text
    assert "after {0} attempts that got no answer".format(MAX_UNANSWERED_ATTEMPTS) in text
    assert DEFAULT_BOTOCORE_CONFIG["retries"]["mode"] in text
