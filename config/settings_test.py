"""The test profile: the site's settings with what makes the suite fast and lets both
cores run it (pytest-xdist) against one PostgreSQL, Redis and Celery broker."""

import os
import tempfile
from pathlib import Path

from config.seal import development_seal
from config.settings import *  # noqa: F403
from config.settings import CACHES, DATABASES, INSTALLED_APPS

# A fast hasher for the thousands of passwords the factories set; the test of real
# hashing puts the production hashers back for itself. (pytest-django keeps e-mail in
# memory; a worker process started by a test keeps the EMAIL_URL it is given.)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A fixed key for the audit chain, never the developer's own under var/.
AUDIT_HMAC_KEY = "test-audit-chain-key-not-used-anywhere-else"

# The letters' seal of the tests, made for this run, never the developer's own under var/.
_seal_files = development_seal(Path(tempfile.mkdtemp(prefix="registry-seal-")))
REGISTRY_SEAL_CERT, REGISTRY_SEAL_KEY = (str(path) for path in _seal_files)

# Each xdist worker has its own test database; it also gets its own Redis database (the
# tests empty the cache between them) and its own Celery queue, so that a worker test never
# runs a task against another worker's database.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _XDIST_WORKER and CACHES["default"]["BACKEND"].endswith("RedisCache"):
    _redis_db = 2 + int(_XDIST_WORKER.removeprefix("gw"))
    CACHES["default"]["LOCATION"] = (
        CACHES["default"]["LOCATION"].rsplit("/", 1)[0] + f"/{_redis_db}"
    )
CELERY_TASK_DEFAULT_QUEUE = f"celery-{_XDIST_WORKER}" if _XDIST_WORKER else "celery"
if CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
    # Without Redis, an in-memory cache per test process (as cookiecutter-django's test
    # profile): the rate limits of the pages and the API count there, outside the queries
    # the tests pin.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# On SQLite, the embedded default of `make test`, the test databases are built straight from
# the models: what the migrations add beyond them (the audit log's triggers, trigram indexes,
# unlogged work tables) is PostgreSQL's, and CI runs every migration there.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The audit log refuses TRUNCATE; the suite empties its databases between transactional
    # tests with it, and says so for its own sessions only (audit migration 0006).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c audit.allow_truncate=on"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    MIGRATION_MODULES = {app.rsplit(".", 1)[-1]: None for app in INSTALLED_APPS}

# A read replica's alias, mirroring the test database as Django's primary/replica testing
# does (TEST: MIRROR): the router is installed only by the tests of the replica path, which
# commit their data (a mirror is another connection and sees no open transaction).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
