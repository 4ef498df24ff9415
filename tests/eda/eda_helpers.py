"""What the event source's and the guard rulebook's tests share."""

from __future__ import annotations

import asyncio
import runpy

from helpers import ACCESS_KEY, SECRET_KEY
from harness import collections_root

SOURCE = collections_root() / "ansible_collections/iotops/aws/extensions/eda/plugins/event_source/iot_job_events.py"
# A hang guard, not a timing assertion: the tests move the fleet by requests.
HANG = 120.0


def source_main():
    """The source's main(), loaded as ansible-rulebook loads it (runpy)."""
    return runpy.run_path(str(SOURCE))["main"]


def source_args(endpoint, **args):
    return dict(dict(endpoint_url=endpoint.url, region="us-east-1", access_key=ACCESS_KEY, secret_key=SECRET_KEY,
                     interval=0.05, max_requests_per_second=1000), **args)


def collect(args, until, hang=HANG):
    """Run main() until ``until(events)`` holds; the events put on the queue."""

    async def run():
        queue, events = asyncio.Queue(), []
        task = asyncio.create_task(source_main()(queue, args))
        deadline = asyncio.get_running_loop().time() + hang
        try:
            while not until(events):
                if task.done():
                    task.result()  # the source's own error
                    raise AssertionError("the source stopped")
                if asyncio.get_running_loop().time() > deadline:
                    raise AssertionError("not done after {0} s; the events: {1}".format(hang, events))
                try:
                    events.append((await asyncio.wait_for(queue.get(), 0.05))["iot_job"])
                except asyncio.TimeoutError:
                    pass
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        return events

    return asyncio.run(run())


def run_until_error(args, hang=HANG):
    """Run main() until it raises; the exception."""

    async def run():
        try:
            await asyncio.wait_for(source_main()(asyncio.Queue(), args), hang)
        except asyncio.TimeoutError:
            raise AssertionError("the source did not stop")
        except Exception as exc:  # the source's error is the answer
            return exc
        raise AssertionError("the source returned")

    return asyncio.run(run())


def busiest_second(records):
    """The most requests the endpoint logged in any one-second window."""
    times = sorted(record.at for record in records)
    most, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most
