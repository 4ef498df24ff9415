"""The guard rulebook in the real ansible-rulebook, against the local endpoint.

ansible-rulebook runs from its own venv (make eda-venv; EDA_VENV names it);
the rulebook's module and playbook run with this venv's Python, which has
boto3.  The fleet moves with the requests (request_clock).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import yaml

from helpers import ACCESS_KEY, ROOT, SECRET_KEY
from eda_helpers import HANG, busiest_second
from harness import local_aws_env
from local_endpoint import device

EDA_VENV = Path(os.environ.get("EDA_VENV", ROOT / ".build" / "eda" / "venv"))
RULEBOOK = ROOT / "extensions" / "eda" / "rulebooks" / "guard_rollouts.yml"
pytestmark = pytest.mark.skipif(not (EDA_VENV / "bin" / "ansible-rulebook").exists(),
                                reason="no ansible-rulebook venv: make eda-venv")

THINGS = ["sensor-{0:02d}".format(index) for index in range(40)]
GOOD = device("SUCCEEDED", start=1, finish=3)
# Devices that never finish keep a job IN_PROGRESS however long the guard
# takes to act: the cancel never races the job's own end.
WORKING = device(None, start=1)
BAD = device("FAILED", start=1, finish=2, details={"reason": "boot loop after flashing"})


class Webhook:
    """A local HTTP listener on 127.0.0.1 that keeps what is posted to it."""

    def __init__(self):
        posted = self.posted = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                posted.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:{0}/hook".format(self.server.server_port)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


class Rulebook:
    """ansible-rulebook running the guard, its output kept in a file."""

    def __init__(self, tmp_path, endpoint, **variables):
        inventory = tmp_path / "inventory.yml"
        inventory.write_text(yaml.safe_dump({"all": {"hosts": {"local": {
            "ansible_connection": "local", "ansible_python_interpreter": sys.executable}}}}))
        vars_file = tmp_path / "vars.yml"
        vars_file.write_text(yaml.safe_dump(variables))
        env = local_aws_env(endpoint.url, ACCESS_KEY, SECRET_KEY, ANSIBLE_NOCOLOR="1",
                            ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0")
        env["PATH"] = str(EDA_VENV / "bin") + os.pathsep + env["PATH"]
        # Kept after the test, for a look at what ansible-rulebook said.
        self.log = ROOT / ".build" / "eda" / "rulebook-{0}.log".format(os.environ.get("PYTEST_CURRENT_TEST", "run").split(
            "::")[-1].split(" ")[0].split("[")[0])
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.handle = self.log.open("w")
        self.process = subprocess.Popen(
            [str(EDA_VENV / "bin" / "ansible-rulebook"), "-r", str(RULEBOOK), "-i", str(inventory),
             "--vars", str(vars_file), "-v"], cwd=str(tmp_path), env=env, stdout=self.handle,
            stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def output(self):
        return self.log.read_text()

    def wait_for(self, condition, what):
        deadline = time.monotonic() + HANG * 2
        while not condition():
            if self.process.poll() is not None:
                raise AssertionError("ansible-rulebook ended ({0}) before {1}:\n{2}".format(
                    self.process.returncode, what, self.output[-5000:]))
            if time.monotonic() > deadline:
                raise AssertionError("no {0} after {1} s:\n{2}".format(what, HANG * 2, self.output[-5000:]))
            time.sleep(0.1)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.handle.close()


@pytest.fixture
def webhook():
    served = Webhook()
    yield served
    served.close()


@pytest.fixture
def rulebook(tmp_path, iot):
    started = []

    def start(**variables):
        started.append(Rulebook(tmp_path, iot, **variables))
        return started[-1]

    yield start
    for running in started:
        running.stop()


def cancel_requests(iot, job_id):
    return [r for r in iot.calls("CancelJob") if r.path == "/jobs/{0}/cancel".format(job_id)]


def test_guard_cancels_a_bad_rollout_skips_a_tagged_one_and_leaves_a_healthy_one(
        iot, request_clock, webhook, rulebook):
    request_clock(0.05)
    iot.fleet.create_job("fw-bad", things=THINGS, default=WORKING, failing=BAD, failing_fraction=0.3)
    iot.fleet.create_job("fw-tagged", things=THINGS, default=WORKING, failing=BAD, failing_fraction=0.3)
    iot.fleet.create_job("fw-healthy", things=THINGS, default=GOOD)
    client = iot.client()
    client.tag_resource(resourceArn="arn:aws:iot:us-east-1:123456789012:job/fw-tagged",
                        tags=[{"Key": "iotops:guard", "Value": "off"}])
    guard = rulebook(guard_interval=0.5, guard_max_requests_per_second=50, guard_webhook_url=webhook.url)
    guard.wait_for(lambda: iot.fleet.cancellation("fw-bad"), "cancel")
    guard.wait_for(lambda: webhook.posted, "notification")
    guard.wait_for(lambda: "left fw-tagged alone" in guard.output, "word about the tagged job")
    # The healthy job runs to its end while the guard watches, and after it.
    guard.wait_for(lambda: iot.fleet.backend.jobs["fw-healthy"].status == "COMPLETED", "healthy job's end")
    rounds = len(iot.calls("ListJobs"))
    guard.wait_for(lambda: len(iot.calls("ListJobs")) >= rounds + 2, "two more rounds")
    guard.stop()

    bad = iot.fleet.backend.jobs["fw-bad"]
    assert (bad.status, bad.reason_code) == ("CANCELED", "EDA_GUARD")
    assert bad.comment.startswith("Canceled by the iotops guard: ") and "executions failed, over the limit (10" in bad.comment
    assert len(cancel_requests(iot, "fw-bad")) == 1
    assert cancel_requests(iot, "fw-tagged") == [] and cancel_requests(iot, "fw-healthy") == []
    assert iot.fleet.backend.jobs["fw-tagged"].status == "IN_PROGRESS"
    assert iot.fleet.backend.jobs["fw-healthy"].status == "COMPLETED"
    assert len(webhook.posted) == 1
    post = webhook.posted[0]
    assert post["text"].startswith("iotops guard: job fw-bad canceled: ")
    assert post["job"]["status"] == "CANCELED" and post["job"]["reason_code"] == "EDA_GUARD"
    # The source's sample of the failures new in the deciding event: 10 at most by default.
    sampled = post["job"]["failure_reasons"]["reason"]["boot loop after flashing"]
    assert 0 < sampled <= min(10, post["job"]["counts"]["failed"])
    for secret in (SECRET_KEY,):
        assert secret not in guard.output


def test_guard_keeps_its_budget_with_50_jobs_in_progress(iot, rulebook, webhook):
    """AWS's 10 TPS per API, half of it spent by others: throttles and their
    retries count against the guard's budget of 10 requests a second."""
    for index in range(50):
        iot.fleet.create_job("fw-{0:02d}".format(index), things=["dev-{0:02d}".format(index)])
    iot.set_faults(rate_limit_tps=10, neighbour_tps=5)
    guard = rulebook(guard_interval=1, guard_max_requests_per_second=10, guard_webhook_url=webhook.url)
    guard.wait_for(lambda: len([r for r in iot.calls("ListJobs") if r.status == 200]) >= 3, "three rounds")
    guard.stop()
    records = iot.calls()
    assert len(iot.calls("DescribeJob")) >= 100
    assert any(record.fault == "throttle" for record in records)
    assert busiest_second(records) <= 10
