"""Settings for the test suite: the development settings, as `make run` has them."""

import os

os.environ.setdefault("DEBUG", "true")

from reconnect.settings import *  # noqa: E402, F403
