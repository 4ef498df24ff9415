# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every request of the collection says about its sender.

botocore's User-Agent gets ``ansible-core/<version> iotops.aws/<version>``
added, so that AWS support and CloudTrail's ``userAgent`` can tell which
tool, and which release of it, made a call.
"""

from __future__ import annotations

from ansible.module_utils.ansible_release import __version__ as ANSIBLE_CORE_VERSION

COLLECTION_NAME = "iotops.aws"
# The collection's release: galaxy.yml's version, which a unit test keeps equal.
COLLECTION_VERSION = "0.2.0"


def user_agent_extra():
    """'ansible-core/2.19.4 iotops.aws/0.2.0': botocore's user_agent_extra."""
    return "ansible-core/{0} {1}/{2}".format(ANSIBLE_CORE_VERSION, COLLECTION_NAME, COLLECTION_VERSION)
