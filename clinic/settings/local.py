"""Development settings: what `make run` uses."""

from clinic.settings.base import *  # noqa: F403
from clinic.settings.env import env_bool

DEBUG = env_bool("DEBUG", True)

CLINIC_SCOPE_GUARD = env_bool("CLINIC_SCOPE_GUARD", True)
