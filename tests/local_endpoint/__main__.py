"""Run the local IoT Jobs endpoint in the foreground: python -m local_endpoint."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from local_endpoint.server import LocalEndpoint


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--time-scale", type=float, default=1.0,
                        help="run the fleet's clock this many times faster than real time")
    parser.add_argument("--url-file", help="write the endpoint's URL to this file once it listens")
    args = parser.parse_args(argv)
    endpoint = LocalEndpoint(port=args.port, region=args.region, time_scale=args.time_scale).start()
    if args.url_file:
        with open(args.url_file, "w") as handle:
            handle.write(endpoint.url + "\n")
    print("local AWS IoT Jobs endpoint on {0}".format(endpoint.url), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    endpoint.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
