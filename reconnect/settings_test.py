"""Settings for the test suite: the development settings, as `make run` has them."""

import os

os.environ.setdefault("DEBUG", "true")

from reconnect.settings import *  # noqa: E402, F403

# The tests serve static files from the finders. A folder of collected files (left by
# `make serve`, say) would otherwise be read anew by every test's client.
STATIC_ROOT = None  # type: ignore[assignment]
