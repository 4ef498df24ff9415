"""Offline stand-in for the get-pip script that ansible-test downloads.

ansible-test bootstraps pip in its sanity venvs with a script fetched from
ci-files.testing.ansible.com, which these machines cannot reach.  `make
sanity` copies this file to the cache path ansible-test checks first.  It
installs pip from the standard library's ensurepip, then runs pip with the
arguments ansible-test gave the script.
"""

import subprocess
import sys

# get-pip.py takes these; pip install does not.
_GET_PIP_ONLY = ("--no-setuptools", "--no-wheel")

subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"], stdout=subprocess.DEVNULL)
arguments = [argument for argument in sys.argv[1:] if argument not in _GET_PIP_ONLY]
subprocess.check_call([sys.executable, "-m", "pip", "install", *arguments])
