"""Settings of the benchmarks: the product's, with a URLconf that adds a ceiling view."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
