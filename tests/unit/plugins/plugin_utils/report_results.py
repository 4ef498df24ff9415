"""Registered results of iot_job_execution_wait, shaped as the module
returns them, for the rollout report's tests."""

from __future__ import annotations


def gate_result(verdict="succeeded", timeline=None, executions=(), reasons=None, sample=None, elapsed=42.5, **extra):
    timeline = timeline if timeline is not None else [
        {"at": 0.1, "job_status": "IN_PROGRESS", "counts": {"QUEUED": 10}},
        {"at": 5.1, "job_status": "IN_PROGRESS", "counts": {"QUEUED": 4, "IN_PROGRESS": 5, "SUCCEEDED": 1}},
        {"at": 10.2, "job_status": "IN_PROGRESS", "counts": {"IN_PROGRESS": 2, "SUCCEEDED": 7, "FAILED": 1}},
        {"at": 42.4, "job_status": "COMPLETED", "counts": {"SUCCEEDED": 8, "FAILED": 1, "REJECTED": 1}},
    ]
    result = dict(
        changed=False,
        verdict=verdict,
        status_counts=dict(timeline[-1].get("counts", {})) if timeline else {},
        timeline=timeline,
        elapsed=elapsed,
        polls=len(timeline),
        job_executions=list(executions),
        failure_reasons=reasons if reasons is not None else {},
        failure_sample=sample or {"sampled": 0, "failed": 0, "without_details": 0},
        job_status=timeline[-1].get("job_status") if timeline else None,
        canceled=False,
        msg="Job fw-1: 0 of 10 executions failed",
    )
    result.update(extra)
    return result


def failed_execution(thing, status="FAILED", **details):
    item = {"job_id": "fw-1", "thing_name": thing, "thing_arn": "arn:aws:iot:eu-west-1:123456789012:thing/" + thing,
            "status": status}
    if details:
        item["status_details"] = {"details_map": details}
    return item
