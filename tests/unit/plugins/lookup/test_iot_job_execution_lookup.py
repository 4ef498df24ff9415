"""Option handling, on_missing and error reporting of the iot_job_execution lookup.

The lookup is loaded through Ansible's plugin loader, as ansible-playbook
loads it, so its options come from its DOCUMENTATION and the shared doc
fragment.  AWS answers come from botocore's Stubber on a real client.
"""

from __future__ import annotations

import datetime
import re
import sys

import pytest
from ansible.errors import AnsibleLookupError
from ansible.plugins.loader import lookup_loader
from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
from botocore.stub import Stubber

from harness import collections_root

NAME = "iotops.aws.iot_job_execution"
QUEUED_AT = datetime.datetime(2026, 11, 28, 17, 53, 36, 304000, tzinfo=datetime.timezone.utc)
SECRET = "unit-secret-5e4d3c2b1a"


def _collection_modules():
    return [name for name in sys.modules if name == "ansible_collections" or name.startswith("ansible_collections.")]


@pytest.fixture(scope="module")
def plugin_module():
    """The lookup's Python module, loaded by Ansible's collection finder.

    The other unit tests import the collection as a plain namespace package;
    the finder and the modules it loads live only as long as this module's
    tests, and the plain modules come back afterwards.
    """
    saved = {name: sys.modules.pop(name) for name in _collection_modules()}
    _AnsibleCollectionFinder(paths=[str(collections_root())])._install()
    try:
        yield sys.modules[type(lookup_loader.get(NAME)).__module__]
    finally:
        _AnsibleCollectionFinder._remove()
        for name in _collection_modules():
            del sys.modules[name]
        sys.modules.update(saved)


pytestmark = pytest.mark.usefixtures("aws_environment")


def lookup(terms, **options):
    return lookup_loader.get(NAME).run(terms, variables={}, **options)


def execution(thing, status="SUCCEEDED", number=1, details=None):
    return {
        "jobId": "fw",
        "status": status,
        "forceCanceled": False,
        "statusDetails": {"detailsMap": details or {}},
        "thingArn": "arn:aws:iot:eu-west-1:123456789012:thing/{0}".format(thing),
        "queuedAt": QUEUED_AT,
        "startedAt": QUEUED_AT,
        "lastUpdatedAt": QUEUED_AT,
        "executionNumber": number,
        "versionNumber": 3,
    }


class StubbedAws:
    """Every client the lookup builds, each with a Stubber holding the answers."""

    def __init__(self, real_iot_client):
        self._real_iot_client = real_iot_client
        self.clients = []
        self._stubbers = []
        self._answers = []

    def iot_client(self, settings, retry_bounds=None):
        client = self._real_iot_client(settings, retry_bounds)
        stubber = Stubber(client)
        for answer in self._answers:
            answer(stubber)
        stubber.activate()
        self.clients.append(client)
        self._stubbers.append(stubber)
        return client

    def answer(self, thing, found=None, execution_number=None):
        expected = dict(jobId="fw", thingName=thing)
        if execution_number is not None:
            expected["executionNumber"] = execution_number
        if found is None:
            self._answers.append(lambda stubber: stubber.add_client_error(
                "describe_job_execution", "ResourceNotFoundException", "no such execution", 404, expected_params=expected))
        else:
            self._answers.append(lambda stubber: stubber.add_response(
                "describe_job_execution", {"execution": found}, expected))

    def job(self, exists=True, error=None):
        """DescribeJob's answer, which the lookup asks after its first miss: the
        job, no such job, or the AWS error code ``error``."""
        if error is not None:
            self._answers.append(lambda stubber: stubber.add_client_error(
                "describe_job", error, "not allowed: iot:DescribeJob", 403, expected_params=dict(jobId="fw")))
        elif exists:
            self._answers.append(lambda stubber: stubber.add_response(
                "describe_job", {"job": {"jobId": "fw", "status": "IN_PROGRESS"}}, dict(jobId="fw")))
        else:
            self._answers.append(lambda stubber: stubber.add_client_error(
                "describe_job", "ResourceNotFoundException", "no such job", 404, expected_params=dict(jobId="fw")))

    def fail(self, code, message, status):
        self._answers.append(lambda stubber: stubber.add_client_error(
            "describe_job_execution", code, message, status))

    def assert_all_answered(self):
        for stubber in self._stubbers:
            stubber.assert_no_pending_responses()


@pytest.fixture
def aws(plugin_module, monkeypatch):
    # The lookup builds its client through the controller-side helper.
    controller = sys.modules["ansible_collections.iotops.aws.plugins.plugin_utils.controller"]
    stubbed = StubbedAws(controller.iot_client)
    monkeypatch.setattr(controller, "iot_client", stubbed.iot_client)
    return stubbed


@pytest.fixture
def warnings(plugin_module, monkeypatch):
    shown = []
    monkeypatch.setattr(plugin_module.display, "warning", shown.append)
    return shown


def test_one_term_gives_the_execution_info_item(aws, plugin_module):
    from ansible_collections.iotops.aws.plugins.module_utils.shaping import shape_execution

    found = execution("dev-1", details={"fw:Version": "2.4.1", "progressPercent": "100"})
    aws.answer("dev-1", found)

    items = lookup(["dev-1"], job_id="fw", region="eu-west-1")

    assert items == [shape_execution(found)]
    assert items[0]["status_details"]["details_map"] == {"fw:Version": "2.4.1", "progressPercent": "100"}
    assert items[0]["queued_at"] == "2026-11-28T17:53:36.304000+00:00"
    aws.assert_all_answered()


def test_terms_keep_their_order_and_share_one_client(aws):
    for thing in ("dev-3", "dev-1", "dev-2"):
        aws.answer(thing, execution(thing))

    items = lookup(["dev-3", ["dev-1", "arn:aws:iot:eu-west-1:123456789012:thing/dev-2"]], job_id="fw",
                   region="eu-west-1")

    assert [item["thing_name"] for item in items] == ["dev-3", "dev-1", "dev-2"]
    assert len(aws.clients) == 1
    aws.assert_all_answered()


def test_no_terms_make_no_client(aws):
    assert lookup([], job_id="fw", region="eu-west-1") == []
    assert aws.clients == []


@pytest.mark.parametrize("given, sent", [(0, 0), (2, 2), ("3", 3)])
def test_execution_number_is_sent(aws, given, sent):
    aws.answer("dev-1", execution("dev-1", number=sent), execution_number=sent)

    (item,) = lookup(["dev-1"], job_id="fw", execution_number=given, region="eu-west-1")

    assert item["execution_number"] == sent
    aws.assert_all_answered()


def test_on_missing_error_names_the_job_and_the_thing(aws, warnings):
    aws.answer("dev-1")
    aws.job()
    aws.answer("dev-2", execution("dev-2"))

    with pytest.raises(AnsibleLookupError) as raised:
        lookup(["dev-1", "dev-2"], job_id="fw", region="eu-west-1")

    assert str(raised.value) == "job fw has no execution on thing dev-1"
    assert warnings == []


def test_on_missing_error_names_the_execution_number(aws):
    aws.answer("dev-1", execution_number=7)
    aws.job()

    with pytest.raises(AnsibleLookupError, match="^job fw has no execution on thing dev-1 with execution number 7$"):
        lookup(["dev-1"], job_id="fw", execution_number=7, region="eu-west-1")


@pytest.mark.parametrize("on_missing, warned", [("skip", []), ("warn", ["dev-1"])])
def test_on_missing_skip_and_warn_leave_the_thing_out(aws, warnings, on_missing, warned):
    aws.answer("dev-1")
    aws.job()
    aws.answer("dev-2", execution("dev-2"))

    items = lookup(["dev-1", "dev-2"], job_id="fw", on_missing=on_missing, region="eu-west-1")

    assert [item["thing_name"] for item in items] == ["dev-2"]
    assert len(warnings) == len(warned)
    for thing, warning in zip(warned, warnings):
        assert "job fw has no execution on thing {0}".format(thing) in warning
    aws.assert_all_answered()


def test_a_missing_job_is_named_with_the_region_once_for_every_thing(aws, warnings):
    aws.answer("dev-1")
    aws.job(exists=False)
    aws.answer("dev-2")

    assert lookup(["dev-1", "dev-2"], job_id="fw", on_missing="warn", region="eu-west-1") == []

    assert warnings == ["Skipping dev-1: job fw does not exist in eu-west-1",
                        "Skipping dev-2: job fw does not exist in eu-west-1"]
    aws.assert_all_answered()


def test_a_job_that_cannot_be_described_leaves_the_thing_s_message(aws):
    aws.answer("dev-1")
    aws.job(error="AccessDeniedException")

    with pytest.raises(AnsibleLookupError, match="^job fw has no execution on thing dev-1$"):
        lookup(["dev-1"], job_id="fw", region="eu-west-1")
    aws.assert_all_answered()


# ansible-core checks required options, types and choices itself, and words
# those errors differently from one version to the next: they name the option.
@pytest.mark.parametrize("terms, options, start", [
    (["dev-1"], dict(), r".*\bjob_id\b"),
    (["dev-1"], dict(job_id="fw 2.4.1"), re.escape("job_id: 'fw 2.4.1' is not a job ID")),
    (["dev-1"], dict(job_id="fw", execution_number=-1), re.escape("execution_number: -1 is not an execution number")),
    (["dev-1"], dict(job_id="fw", execution_number="latest"), r".*\bexecution_number\b"),
    (["dev-1"], dict(job_id="fw", on_missing="ignore"), r".*\bon_missing\b"),
    (["dev-1"], dict(job_id="fw", jobid="fw"), re.escape("jobid: not an option of this lookup")),
    (["dev-1", "dev 2"], dict(job_id="fw"), re.escape("_terms: 'dev 2' is not a thing name or thing ARN")),
    ([["dev-1", 42]], dict(job_id="fw"), re.escape("_terms: 42 is not a thing name")),
])
def test_bad_options_fail_before_any_client(aws, terms, options, start):
    with pytest.raises(AnsibleLookupError) as raised:
        lookup(terms, region="eu-west-1", **options)

    assert re.match(start, str(raised.value)), str(raised.value)
    assert "\n" not in str(raised.value)
    assert aws.clients == []


def test_on_missing_error_lists_the_choices(aws):
    with pytest.raises(AnsibleLookupError, match="[Vv]alid values are: error, skip, warn$"):
        lookup(["dev-1"], job_id="fw", on_missing="ignore", region="eu-west-1")


@pytest.mark.parametrize("options, problem", [
    (dict(profile="ops", access_key="AKIDUNIT", secret_key=SECRET), "profile cannot be combined with access_key, secret_key"),
    (dict(access_key="AKIDUNIT"), "access_key is set but secret_key is not"),
    (dict(), "region is not set"),
])
def test_connection_settings_are_checked_before_any_request(aws, options, problem):
    with pytest.raises(AnsibleLookupError) as raised:
        lookup(["dev-1"], job_id="fw", **options)

    assert problem in str(raised.value)
    assert SECRET not in str(raised.value)
    assert aws.clients == []


def test_connection_options_take_aliases_and_the_environment(aws, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "ap-south-1")
    monkeypatch.setenv("AWS_URL", "http://iot.example.test")
    aws.answer("dev-1", execution("dev-1"))
    aws.answer("dev-1", execution("dev-1"))

    lookup(["dev-1"], job_id="fw")
    lookup(["dev-1"], job_id="fw", aws_region="eu-central-1", aws_endpoint_url="http://other.example.test")

    first, second = aws.clients
    assert (first.meta.region_name, first.meta.endpoint_url) == ("ap-south-1", "http://iot.example.test")
    assert (second.meta.region_name, second.meta.endpoint_url) == ("eu-central-1", "http://other.example.test")


def test_aws_error_is_one_line_with_the_code_and_no_secret(aws):
    aws.fail("AccessDeniedException", "User AKIDUNIT with {0}\nis not authorized".format(SECRET), 403)

    with pytest.raises(AnsibleLookupError) as raised:
        lookup(["dev-1"], job_id="fw", region="eu-west-1", access_key="AKIDUNIT", secret_key=SECRET)

    message = str(raised.value)
    assert message.startswith("Failed to describe the execution of job fw on thing dev-1: AccessDeniedException: ")
    assert "\n" not in message
    assert SECRET not in message and "********" in message


def test_missing_credentials_are_reported_not_raised(plugin_module):
    with pytest.raises(AnsibleLookupError, match="^Failed to describe the execution of job fw on thing dev-1: NoCredentialsError: "):
        lookup(["dev-1"], job_id="fw", region="eu-west-1", endpoint_url="http://127.0.0.1:9")


def test_unreachable_endpoint_is_reported_not_raised(plugin_module):
    with pytest.raises(AnsibleLookupError, match=": EndpointConnectionError: "):
        lookup(["dev-1"], job_id="fw", region="eu-west-1", endpoint_url="http://127.0.0.1:9",
               access_key="AKIDUNIT", secret_key=SECRET, aws_config={"retries": {"total_max_attempts": 1}})


def test_without_boto3_the_lookup_says_so(plugin_module, monkeypatch):
    monkeypatch.setattr(plugin_module, "HAS_BOTO3", False)

    with pytest.raises(AnsibleLookupError, match="needs the boto3 and botocore Python libraries"):
        lookup(["dev-1"], job_id="fw", region="eu-west-1")


def test_environment_precedence_matches_the_modules(aws, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "ap-south-1")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    aws.answer("dev-1", execution("dev-1"))

    lookup(["dev-1"], job_id="fw")

    (client,) = aws.clients
    assert client.meta.region_name == "ap-south-1"
