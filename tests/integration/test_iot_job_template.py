"""iot_job_template and iot_job_template_info in real ansible-playbook runs
against the local endpoint: create, rerun, check mode, diff, tags, drift
and replace, absent, bad input, a lost CreateJobTemplate answer, and jobs
created from the templates.
"""

from __future__ import annotations

import json

import pytest

from helpers import SECRET_KEY, one_line, writes

TEMPLATE = "firmware-install"
DOCUMENT = {"operation": "install", "version": "2.4.1"}
ROLE = "arn:aws:iam::123456789012:role/iot-firmware-download"
PACKAGE = "arn:aws:iot:us-east-1:123456789012:package/fw/version/2.4.1"
WINDOW = {"start_time": "cron(0 2 ? * SUN *)", "duration_in_minutes": 120}
SETTINGS = dict(
    description="Install a firmware build",
    document=DOCUMENT,
    presigned_url={"role_arn": ROLE, "expires_in_sec": 600},
    rollout={"maximum_per_minute": 50},
    abort=[{"failure_type": "FAILED", "threshold_percentage": 10, "min_number_of_executed_things": 20}],
    in_progress_timeout_minutes=60,
    retry=[{"failure_type": "TIMED_OUT", "number_of_retries": 2}],
    maintenance_windows=[WINDOW],
    destination_package_versions=[PACKAGE],
)


def template_task(name, ignore_errors=False, **options):
    task = {"name": name, "iotops.aws.iot_job_template": dict(dict(job_template_id=TEMPLATE), **options)}
    if ignore_errors:
        task["ignore_errors"] = True
    return task


def present(name, ignore_errors=False, **options):
    options = dict(SETTINGS, **options)
    return template_task(name, ignore_errors, **dict((key, value) for key, value in options.items() if value is not None))


def info_task(name, **options):
    return {"name": name, "iotops.aws.iot_job_template_info": options}


def create_existing(iot, template_id=TEMPLATE, **fields):
    request = dict(jobTemplateId=template_id, description="Install a firmware build", document=json.dumps(DOCUMENT))
    request.update(fields)
    return iot.client().create_job_template(**request)


@pytest.mark.smoke
def test_create_then_rerun_reports_unchanged_with_diff_and_no_secret(iot, playbook):
    run = playbook([present("create", tags={"team": "firmware"}), present("again", tags={"team": "firmware"}),
                    info_task("info", job_template_id=TEMPLATE)], args=("--diff",))
    assert run.rc == 0, run.output
    created, again = run.result("create"), run.result("again")
    assert created["changed"] is True and again["changed"] is False
    template = created["job_template"]
    assert template["job_template_id"] == TEMPLATE
    assert template["job_template_arn"].endswith(":jobtemplate/" + TEMPLATE)
    assert json.loads(template["document"]) == DOCUMENT
    assert template["presigned_url_config"] == {"role_arn": ROLE, "expires_in_sec": 600}
    assert template["job_executions_rollout_config"] == {"maximum_per_minute": 50}
    assert template["abort_config"]["criteria_list"][0]["threshold_percentage"] == 10
    assert template["timeout_config"] == {"in_progress_timeout_in_minutes": 60}
    assert template["job_executions_retry_config"]["criteria_list"] == [{"failure_type": "TIMED_OUT", "number_of_retries": 2}]
    assert template["maintenance_windows"] == [WINDOW]
    assert template["destination_package_versions"] == [PACKAGE]
    assert template["tags"] == {"team": "firmware"}
    assert created["diff"]["before"] == {}
    assert created["diff"]["after"]["document"] == DOCUMENT and created["diff"]["after"]["tags"] == {"team": "firmware"}
    assert again["diff"] == {"before": {}, "after": {}}
    assert writes(iot) == ["CreateJobTemplate"]
    described = run.result("info")["job_templates"]
    assert [item["job_template_id"] for item in described] == [TEMPLATE]
    assert described[0]["maintenance_windows"] == [WINDOW]
    assert SECRET_KEY not in run.output


def test_check_mode_predicts_every_change_and_sends_no_write(iot, playbook):
    create_existing(iot, "to-tag", tags=[{"Key": "old", "Value": "1"}])
    create_existing(iot, "to-replace")
    create_existing(iot, "to-delete")
    before = len(iot.calls())
    run = playbook([
        present("create"),
        template_task("tag", job_template_id="to-tag", tags={"new": "2"}),
        template_task("replace", job_template_id="to-replace", description="Another build", replace=True),
        template_task("delete", job_template_id="to-delete", state="absent"),
        template_task("unchanged", job_template_id="to-tag", document=DOCUMENT),
    ], check=True, args=("--diff",))
    assert run.rc == 0, run.output
    assert writes(iot, before) == []
    assert {call.api for call in iot.calls()[before:]} <= {"DescribeJobTemplate", "ListTagsForResource"}
    assert [run.result(task)["changed"] for task in ("create", "tag", "replace", "delete", "unchanged")] == [
        True, True, True, True, False]
    assert run.result("create")["job_template"] is None
    assert run.result("tag")["diff"] == {"before": {"tags": {"old": "1"}}, "after": {"tags": {"new": "2"}}}
    assert run.result("replace")["diff"] == {
        "before": {"description": "Install a firmware build", "document": DOCUMENT},
        "after": {"description": "Another build"}}
    assert run.result("delete")["diff"]["after"] == {}
    assert run.result("delete")["job_template"]["job_template_id"] == "to-delete"
    assert iot.client().describe_job_template(jobTemplateId="to-replace")["description"] == "Install a firmware build"


def test_tags_are_changed_in_place_and_purged_only_when_asked(iot, playbook):
    create_existing(iot, tags=[{"Key": "team", "Value": "firmware"}, {"Key": "stage", "Value": "beta"}])
    before = len(iot.calls())
    run = playbook([
        template_task("add", tags={"owner": "ops"}, purge_tags=False),
        template_task("purge", tags={"owner": "ops", "team": "platform"}),
        template_task("again", tags={"owner": "ops", "team": "platform"}),
        template_task("no tags", description="Install a firmware build"),
    ], args=("--diff",))
    assert run.rc == 0, run.output
    assert [run.result(task)["changed"] for task in ("add", "purge", "again", "no tags")] == [True, True, False, False]
    assert run.result("add")["job_template"]["tags"] == {"team": "firmware", "stage": "beta", "owner": "ops"}
    assert run.result("purge")["job_template"]["tags"] == {"owner": "ops", "team": "platform"}
    assert run.result("purge")["diff"] == {"before": {"tags": {"team": "firmware", "stage": "beta"}},
                                           "after": {"tags": {"team": "platform"}}}
    assert writes(iot, before) == ["TagResource", "TagResource", "UntagResource"]


DRIFTS = [
    (dict(description="Another build"), "description"),
    (dict(document={"operation": "install", "version": "2.4.2"}), "document"),
    (dict(document=None, document_source="https://s3.us-east-1.amazonaws.com/fw/fw.json"), "document_source"),
    (dict(destination_package_versions=[PACKAGE.replace("2.4.1", "2.4.2")]), "destination_package_versions"),
    (dict(presigned_url={"role_arn": ROLE, "expires_in_sec": 900}), "presigned_url"),
    (dict(rollout={"maximum_per_minute": 10}), "rollout"),
    (dict(abort=[{"failure_type": "ALL", "threshold_percentage": 10, "min_number_of_executed_things": 20}]), "abort"),
    (dict(in_progress_timeout_minutes=30), "in_progress_timeout_minutes"),
    (dict(retry=[{"failure_type": "FAILED", "number_of_retries": 1}]), "retry"),
    (dict(maintenance_windows=[dict(WINDOW, duration_in_minutes=60)]), "maintenance_windows"),
    (dict(description="x", rollout={"maximum_per_minute": 1}, in_progress_timeout_minutes=5),
     "description, rollout, in_progress_timeout_minutes"),
]


def test_each_drift_fails_in_one_line_naming_every_differing_setting_without_a_write(iot, playbook):
    run = playbook([present("create")])
    assert run.rc == 0, run.output
    before = len(iot.calls())
    run = playbook([present(named, ignore_errors=True, **options) for options, named in DRIFTS])
    for options, named in DRIFTS:
        assert one_line(run, named) == (
            "job template {0!r} exists with a different {1}, and AWS cannot update a template: set replace=true to "
            "delete and recreate it (jobs created from it keep their settings)".format(TEMPLATE, named))
        assert run.result(named)["job_template"]["job_template_id"] == TEMPLATE
    assert writes(iot, before) == []


def test_replace_recreates_the_template_keeps_its_tags_and_leaves_its_jobs_alone(iot, playbook):
    iot.fleet.ensure_things(["sensor-1"])
    newer = {"operation": "install", "version": "2.5.0"}
    run = playbook([
        dict(present("create", tags={"team": "firmware"}), register="created"),
        {"name": "job", "iotops.aws.iot_job": {"job_id": "fw-2-4-1", "targets": ["sensor-1"],
                                               "job_template_arn": "{{ created.job_template.job_template_arn }}"}},
        template_task("replace", description="Install 2.5.0", document=newer, rollout={"maximum_per_minute": 100}, replace=True),
        template_task("again", description="Install 2.5.0", document=newer, rollout={"maximum_per_minute": 100}, replace=True),
    ], args=("--diff",))
    assert run.rc == 0, run.output
    replaced = run.result("replace")
    assert replaced["changed"] is True and run.result("again")["changed"] is False
    assert replaced["msg"] == "job template {0!r} replaced: its description, document, rollout differed".format(TEMPLATE)
    assert replaced["diff"]["before"]["document"] == DOCUMENT and replaced["diff"]["after"]["document"] == newer
    assert replaced["diff"]["before"]["maintenance_windows"] == [WINDOW]
    assert "maintenance_windows" not in replaced["diff"]["after"]
    template = replaced["job_template"]
    assert template["description"] == "Install 2.5.0" and template["maintenance_windows"] is None
    assert template["tags"] == {"team": "firmware"}
    assert writes(iot) == ["CreateJobTemplate", "CreateJob", "DeleteJobTemplate", "CreateJobTemplate"]
    # The job created from the old template keeps the old document.
    assert json.loads(iot.client().get_job_document(jobId="fw-2-4-1")["document"]) == DOCUMENT
