"""iot_job_template and iot_job_template_info against what AWS IoT does
with job templates, on both emulators (see test_conformance.py)."""

from __future__ import annotations

import json

import pytest

from helpers import module_task

pytestmark = pytest.mark.conformance

TEMPLATE = "fw-template"
THINGS = ["dev-1"]
DOCUMENT = {"operation": "install", "version": "3.0.0"}
SETTINGS = dict(job_template_id=TEMPLATE, description="Firmware 3.0.0", document=DOCUMENT,
                rollout={"maximum_per_minute": 20}, in_progress_timeout_minutes=30,
                retry=[{"failure_type": "FAILED", "number_of_retries": 1}], tags={"team": "firmware"})


def test_iot_job_template_creates_checks_replaces_and_deletes_a_template(target, target_playbook):
    target.devices.register(THINGS)
    newer = {**SETTINGS, "document": {"operation": "install", "version": "3.0.1"}, "replace": True}
    drifted = {**SETTINGS, "in_progress_timeout_minutes": 60}
    run = target_playbook([
        dict(module_task("iot_job_template", "create", **SETTINGS), register="made"),
        module_task("iot_job_template", "again", **SETTINGS),
        module_task("iot_job_template", "drift", ignore_errors=True, **drifted),
        module_task("iot_job", "job", job_id="fw-3-0-0", targets=THINGS, job_template_arn="{{ made.job_template.job_template_arn }}"),
        module_task("iot_job", "job again", job_id="fw-3-0-0", targets=THINGS,
                    job_template_arn="{{ made.job_template.job_template_arn }}"),
        module_task("iot_job_template", "replace", **newer),
        module_task("iot_job_template", "replace again", **newer),
        module_task("iot_job_template_info", "one", job_template_id=TEMPLATE),
        module_task("iot_job_template_info", "all"),
        module_task("iot_job_template", "delete", job_template_id=TEMPLATE, state="absent"),
        module_task("iot_job_template", "delete again", job_template_id=TEMPLATE, state="absent"),
        module_task("iot_job_template_info", "gone", job_template_id=TEMPLATE),
    ])
    assert [run.result(name)["changed"] for name in ("create", "again", "job", "job again", "replace", "replace again",
                                                     "delete", "delete again")] == [
        True, False, True, False, True, False, True, False]
    created = run.result("create")["job_template"]
    assert created["timeout_config"] == {"in_progress_timeout_in_minutes": 30}
    assert created["job_executions_rollout_config"] == {"maximum_per_minute": 20}
    assert created["tags"] == {"team": "firmware"}
    assert run.status("drift") == "failed"
    assert run.result("drift")["msg"].startswith(
        "job template {0!r} exists with a different in_progress_timeout_minutes".format(TEMPLATE))
    assert run.result("job")["job"]["job_template_arn"] == created["job_template_arn"]
    assert json.loads(run.result("one")["job_templates"][0]["document"])["version"] == "3.0.1"
    assert [item["job_template_id"] for item in run.result("all")["job_templates"]] == [TEMPLATE]
    assert run.result("gone")["job_templates"] == []
    # A job created from the template keeps the template's document as it was then.
    assert json.loads(target.client().get_job_document(jobId="fw-3-0-0")["document"]) == DOCUMENT
