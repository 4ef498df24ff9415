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


def test_absent_deletes_the_template_then_reports_unchanged(iot, playbook):
    create_existing(iot, tags=[{"Key": "team", "Value": "firmware"}])
    before = len(iot.calls())
    run = playbook([template_task("delete", state="absent"), template_task("again", state="absent")], args=("--diff",))
    assert run.rc == 0, run.output
    deleted, again = run.result("delete"), run.result("again")
    assert deleted["changed"] is True and again["changed"] is False
    assert deleted["job_template"] is None and again["job_template"] is None
    assert deleted["diff"]["before"]["description"] == "Install a firmware build"
    assert deleted["diff"]["before"]["tags"] == {"team": "firmware"} and deleted["diff"]["after"] == {}
    assert writes(iot, before) == ["DeleteJobTemplate"]
    assert iot.client().list_job_templates()["jobTemplates"] == []


BAD_INPUT = [
    (dict(job_template_id="fw 2.4.1"), "job_template_id: 'fw 2.4.1' is not a job template ID"),
    (dict(rollout={"maximum_per_minute": 0}), "rollout.maximum_per_minute: must be 1 to 1000, got 0"),
    (dict(retry=[{"failure_type": "FAILED", "number_of_retries": 11}]), "retry[0].number_of_retries: must be 0 to 10, got 11"),
    (dict(document="{not json"), "document: is not valid JSON"),
    (dict(document=None, job_arn="arn:aws:iot:us-east-1:123456789012:thing/x"), "job_arn: 'arn:aws:iot:us-east-1:123456789012:t... is not a job ARN"),
    (dict(maintenance_windows=[dict(WINDOW, duration_in_minutes=1431)]),
     "maintenance_windows[0].duration_in_minutes: must be 1 to 1430, got 1431"),
    (dict(destination_package_versions=["fw-2.4.1"]), "destination_package_versions: 'fw-2.4.1' is not a package version ARN"),
    (dict(tags={"aws:owner": "x"}), "tags: key 'aws:owner' must be 1 to 128 letters"),
    (dict(in_progress_timeout_minutes="soon"), "in_progress_timeout_minutes: must be an integer, got a string ('soon')"),
    (dict(document_source="https://s3.example.com/x.json"), "parameters are mutually exclusive: document|document_source|job_arn"),
]


def test_bad_input_fails_in_one_line_naming_the_option_and_sends_nothing(iot, playbook):
    run = playbook([present("bad {0}".format(index), ignore_errors=True, **options) for index, (options, expected) in enumerate(BAD_INPUT)]
                   + [info_task("bad info", managed=True, job_template_id=TEMPLATE)], ignore_errors=True)
    for index, (options, message) in enumerate(BAD_INPUT):
        found = one_line(run, "bad {0}".format(index))
        assert found.startswith(message), (options, found)
    assert one_line(run, "bad info").startswith("job_template_id: names one of the account's templates")
    assert iot.calls() == []


def test_creating_needs_a_description_and_a_document_named_in_one_line(iot, playbook):
    run = playbook([template_task("bare", ignore_errors=True), template_task("no description", ignore_errors=True, document=DOCUMENT)])
    assert one_line(run, "bare") == (
        "description: job template {0!r} does not exist, and creating it needs description and one of document, "
        "document_source, job_arn".format(TEMPLATE))
    assert one_line(run, "no description").startswith("description: job template {0!r} does not exist".format(TEMPLATE))
    assert writes(iot) == []


def test_a_create_whose_answer_was_lost_is_accepted_as_its_own(iot, playbook):
    iot.set_faults(lose_answer_once=["CreateJobTemplate"])
    run = playbook([present("create", tags={"team": "firmware"})])
    assert run.rc == 0, run.output
    result = run.result("create")
    assert result["changed"] is True and result["job_template"]["tags"] == {"team": "firmware"}
    creates = iot.calls("CreateJobTemplate")
    assert [(c.attempt, c.fault, c.status) for c in creates] == [(1, "lose_answer", None), (2, None, 409)]
    assert writes(iot) == ["CreateJobTemplate", "CreateJobTemplate"]


def test_another_plays_different_template_fails_the_create_in_one_line(iot, playbook):
    body = {"description": "Someone else's", "document": json.dumps(DOCUMENT)}
    iot.set_faults(before_once={"CreateJobTemplate": {"method": "PUT", "path": "/job-templates/" + TEMPLATE, "body": body}})
    run = playbook([present("create")])
    assert one_line(run, "create") == (
        "CreateJobTemplate: job template {0!r} already exists: job template {0!r} exists with a different description, "
        "destination_package_versions, presigned_url, rollout, abort, in_progress_timeout_minutes, retry, "
        "maintenance_windows, and AWS cannot update a template: set replace=true to delete and recreate it "
        "(jobs created from it keep their settings)".format(TEMPLATE))
    assert run.result("create")["changed"] is False


def test_jobs_are_created_from_a_template_and_from_an_aws_managed_one(iot, playbook):
    iot.fleet.ensure_things(["sensor-1"])
    parameters = {"downloadUrl": "https://example.com/config-7.json", "filePath": "/etc/app/config.json"}
    run = playbook([
        dict(present("template"), register="made"),
        dict(info_task("managed", managed=True, template_name="AWS-Download-File"), register="managed"),
        {"name": "from template", "iotops.aws.iot_job": {
            "job_id": "fw-2-4-1", "targets": ["sensor-1"], "job_template_arn": "{{ made.job_template.job_template_arn }}"}},
        {"name": "from template again", "iotops.aws.iot_job": {
            "job_id": "fw-2-4-1", "targets": ["sensor-1"], "job_template_arn": "{{ made.job_template.job_template_arn }}"}},
        {"name": "from managed", "iotops.aws.iot_job": {
            "job_id": "download-7", "targets": ["sensor-1"], "job_template_arn": "{{ managed.job_templates[0].template_arn }}",
            "document_parameters": parameters}},
        {"name": "from managed again", "iotops.aws.iot_job": {
            "job_id": "download-7", "targets": ["sensor-1"], "job_template_arn": "{{ managed.job_templates[0].template_arn }}",
            "document_parameters": parameters}},
        {"name": "parameters with own template", "ignore_errors": True, "iotops.aws.iot_job": {
            "job_id": "bad-7", "targets": ["sensor-1"], "job_template_arn": "{{ made.job_template.job_template_arn }}",
            "document_parameters": parameters}},
    ])
    assert [run.result(task)["changed"] for task in ("from template", "from template again", "from managed",
                                                     "from managed again")] == [True, False, True, False]
    job = run.result("from template")["job"]
    assert job["job_template_arn"].endswith(":jobtemplate/" + TEMPLATE)
    assert job["job_executions_rollout_config"] == {"maximum_per_minute": 50}  # the template's
    assert json.loads(iot.client().get_job_document(jobId="fw-2-4-1")["document"]) == DOCUMENT
    managed = run.result("from managed")["job"]
    assert managed["document_parameters"] == parameters
    document = json.loads(iot.client().get_job_document(jobId="download-7")["document"])
    assert document["steps"][0]["action"]["input"]["args"] == [parameters["downloadUrl"], parameters["filePath"]]
    assert one_line(run, "parameters with own template").startswith("CreateJob failed for job 'bad-7': InvalidRequestException")


def test_info_describes_one_lists_all_pages_and_reads_managed_templates(iot, playbook):
    for index in range(260):  # more than one page of 250
        create_existing(iot, "template-{0:03d}".format(index))
    create_existing(iot, TEMPLATE, maintenanceWindows=[{"startTime": WINDOW["start_time"], "durationInMinutes": 120}])
    run = playbook([
        info_task("all"),
        info_task("one", job_template_id=TEMPLATE),
        info_task("missing", job_template_id="no-such-template"),
        info_task("managed", managed=True),
        info_task("download", managed=True, template_name="AWS-Download-File", template_version="1.0"),
        info_task("no version", managed=True, template_name="AWS-Download-File", template_version="9.9"),
    ], check=True)
    assert run.rc == 0, run.output
    listed = run.result("all")["job_templates"]
    assert len(listed) == 261 and len(iot.calls("ListJobTemplates")) == 2
    assert set(listed[0]) == {"job_template_id", "job_template_arn", "description", "created_at"}
    one = run.result("one")["job_templates"]
    assert len(one) == 1 and one[0]["maintenance_windows"] == [WINDOW] and json.loads(one[0]["document"]) == DOCUMENT
    assert run.result("missing")["job_templates"] == [] and run.result("no version")["job_templates"] == []
    names = [item["template_name"] for item in run.result("managed")["job_templates"]]
    assert "AWS-Download-File" in names
    download = run.result("download")["job_templates"][0]
    assert download["template_arn"].endswith(":jobtemplate/AWS-Download-File:1.0")
    keys = {parameter["key"]: parameter["optional"] for parameter in download["document_parameters"]}
    assert keys["downloadUrl"] is False and keys["filePath"] is False
    assert writes(iot) == ["CreateJobTemplate"] * 261
