# -*- coding: utf-8 -*-
# Copyright: iotops.aws contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Connection options of every plugin in the collection.

Modules read the environment through their argument spec's fallbacks, so
their variant names the variables in the description; the lookup reads it
through ``env:`` entries (PLUGINS), which module docs may not carry.
ansible-core takes the last ``env:`` entry that is set, so each PLUGINS
list runs from least to most preferred: the reverse of the fallbacks.  The
sanity tests read these strings without running Python, so both are
literal.  tests/unit/plugins/doc_fragments/test_connection.py checks that
the two agree with each other and with CONNECTION_ARGUMENT_SPEC.
"""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  access_key:
    description:
      - AWS access key ID. See U(https://docs.aws.amazon.com/general/latest/gr/aws-sec-cred-types.html).
      - Mutually exclusive with O(profile).
      - The environment variables E(AWS_ACCESS_KEY_ID), E(AWS_ACCESS_KEY) are read when the option is not set, in that order.
    type: str
    aliases: [aws_access_key_id, aws_access_key]
  secret_key:
    description:
      - AWS secret access key. Never logged or returned.
      - Mutually exclusive with O(profile).
      - The environment variables E(AWS_SECRET_ACCESS_KEY), E(AWS_SECRET_KEY) are read when the option is not set, in that order.
    type: str
    aliases: [aws_secret_access_key, aws_secret_key]
  session_token:
    description:
      - AWS STS session token for temporary credentials. Never logged or returned.
      - AWX's Amazon Web Services credential sets E(AWS_SECURITY_TOKEN); a key taken from the environment
        always travels with the token taken from the environment, and that token never travels with a key given
        as an option.
      - Mutually exclusive with O(profile).
      - The environment variables E(AWS_SESSION_TOKEN), E(AWS_SECURITY_TOKEN) are read when the option is not set, in that order.
    type: str
    aliases: [aws_session_token, security_token, aws_security_token]
  profile:
    description:
      - A named profile from the AWS configuration files.
      - Mutually exclusive with O(access_key), O(secret_key) and O(session_token), including values those
        options take from the environment.
      - The environment variables E(AWS_PROFILE), E(AWS_DEFAULT_PROFILE) are read when the option is not set, in that order.
    type: str
    aliases: [aws_profile]
  region:
    description:
      - The AWS region, for example V(eu-west-1). It may also come from the profile.
      - Without a region the plugin fails before sending any request.
      - The environment variables E(AWS_REGION), E(AWS_DEFAULT_REGION) are read when the option is not set, in that order.
    type: str
    aliases: [aws_region]
  endpoint_url:
    description:
      - URL to use instead of the region's AWS IoT endpoint, for example a local test endpoint.
      - The environment variable E(AWS_URL) is read when the option is not set.
    type: str
    aliases: [aws_endpoint_url]
  validate_certs:
    description:
      - When V(false), the endpoint's TLS certificate is not checked. Prefer O(aws_ca_bundle).
    type: bool
    default: true
  aws_ca_bundle:
    description:
      - A CA bundle used to check the endpoint's TLS certificate.
    type: path
  aws_config:
    description:
      - "Settings merged over the collection's botocore C(Config), C(retries) key by key, for example
        C({retries: {mode: adaptive}, read_timeout: 20})."
      - By default, calls use botocore's V(standard) retry mode with 15 attempts, a 5 s connect timeout and a
        10 s read timeout, and give up after 3 attempts that got no answer at all.
      - Every request's User-Agent ends with C(ansible-core/<version> iotops.aws/<version>), botocore's
        C(user_agent_extra), so that AWS support and CloudTrail can tell the collection's calls apart; a
        C(user_agent_extra) given here replaces it.
      - See U(https://botocore.amazonaws.com/v1/documentation/api/latest/reference/config.html).
    type: dict
notes:
  - For modules, credentials, environment variables and AWS configuration files are read on the host the module
    runs on; for the lookup, on the controller.
  - Throttling and transient faults are retried by botocore's own retry modes; see O(aws_config).
"""

    PLUGINS = r"""
options:
  access_key:
    description:
      - AWS access key ID. See U(https://docs.aws.amazon.com/general/latest/gr/aws-sec-cred-types.html).
      - Mutually exclusive with O(profile).
    type: str
    aliases: [aws_access_key_id, aws_access_key]
    env:
      - name: AWS_ACCESS_KEY
      - name: AWS_ACCESS_KEY_ID
  secret_key:
    description:
      - AWS secret access key. Never logged or returned.
      - Mutually exclusive with O(profile).
    type: str
    aliases: [aws_secret_access_key, aws_secret_key]
    env:
      - name: AWS_SECRET_KEY
      - name: AWS_SECRET_ACCESS_KEY
  session_token:
    description:
      - AWS STS session token for temporary credentials. Never logged or returned.
      - AWX's Amazon Web Services credential sets E(AWS_SECURITY_TOKEN); a key taken from the environment
        always travels with the token taken from the environment, and that token never travels with a key given
        as an option.
      - Mutually exclusive with O(profile).
    type: str
    aliases: [aws_session_token, security_token, aws_security_token]
    env:
      - name: AWS_SECURITY_TOKEN
      - name: AWS_SESSION_TOKEN
  profile:
    description:
      - A named profile from the AWS configuration files.
      - Mutually exclusive with O(access_key), O(secret_key) and O(session_token), including values those
        options take from the environment.
    type: str
    aliases: [aws_profile]
    env:
      - name: AWS_DEFAULT_PROFILE
      - name: AWS_PROFILE
  region:
    description:
      - The AWS region, for example V(eu-west-1). It may also come from the profile.
      - Without a region the plugin fails before sending any request.
    type: str
    aliases: [aws_region]
    env:
      - name: AWS_DEFAULT_REGION
      - name: AWS_REGION
  endpoint_url:
    description:
      - URL to use instead of the region's AWS IoT endpoint, for example a local test endpoint.
    type: str
    aliases: [aws_endpoint_url]
    env:
      - name: AWS_URL
  validate_certs:
    description:
      - When V(false), the endpoint's TLS certificate is not checked. Prefer O(aws_ca_bundle).
    type: bool
    default: true
  aws_ca_bundle:
    description:
      - A CA bundle used to check the endpoint's TLS certificate.
    type: path
  aws_config:
    description:
      - "Settings merged over the collection's botocore C(Config), C(retries) key by key, for example
        C({retries: {mode: adaptive}, read_timeout: 20})."
      - By default, calls use botocore's V(standard) retry mode with 15 attempts, a 5 s connect timeout and a
        10 s read timeout, and give up after 3 attempts that got no answer at all.
      - Every request's User-Agent ends with C(ansible-core/<version> iotops.aws/<version>), botocore's
        C(user_agent_extra), so that AWS support and CloudTrail can tell the collection's calls apart; a
        C(user_agent_extra) given here replaces it.
      - See U(https://botocore.amazonaws.com/v1/documentation/api/latest/reference/config.html).
    type: dict
notes:
  - For modules, credentials, environment variables and AWS configuration files are read on the host the module
    runs on; for the lookup, on the controller.
  - Throttling and transient faults are retried by botocore's own retry modes; see O(aws_config).
"""
