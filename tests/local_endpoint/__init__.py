"""A local AWS IoT Jobs endpoint for the tests, the demo and the benchmarks."""

from local_endpoint.faults import Faults  # noqa: F401
from local_endpoint.fleet import Attempt, Device, Fleet, device  # noqa: F401
from local_endpoint.server import LocalEndpoint  # noqa: F401
