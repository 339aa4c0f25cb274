"""Settings of the RQ worker that test_worker starts: the parent run's test database."""

import os
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import DATABASES

DATABASES["default"]["NAME"] = os.environ["RELAIS_TEST_DATABASE_NAME"]
# As in the test run (conftest.py): the tests run at any hour, without quiet hours or the cap.
QUIET_HOURS_POLICY = "none"
PROMOTION_CAP_PER_24H = 0
# Where the parent test keeps uploaded import files (tests.support.imports.import_folder): only
# VAR_DIR moves, the Redis socket and the database above stay the run's.
if os.environ.get("RELAIS_TEST_VAR_DIR"):
    VAR_DIR = Path(os.environ["RELAIS_TEST_VAR_DIR"])
