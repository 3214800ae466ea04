# The same formats as in English (config/formats/en/formats.py): one date format for both.
from config.formats.en.formats import *  # noqa: F403
