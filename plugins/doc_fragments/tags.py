# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""O(tags) and O(purge_tags) of every module that tags what it manages
(module_utils/job_options.py's TAGS), documented once."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  tags:
    description:
      - Tags of the resource the module manages, as a dict; at most 50. Keys are kept exactly as written and may not
        start with V(aws:); values are strings of at most 256 characters.
      - Unset, the resource's tags are left alone.
    type: dict
  purge_tags:
    description:
      - With O(tags) set, remove the resource's tags that O(tags) does not name. With V(false), only add and change.
      - Ignored when O(tags) is unset, as in amazon.aws.
    type: bool
    default: true
"""
