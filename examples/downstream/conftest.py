"""Hypothesis profiles, as a project using socialpolicy would set them for its own CI.

`ci` (the default): a fixed seed, so a run is repeatable and a failure is the same on every
machine. `nightly` (HYPOTHESIS_PROFILE=nightly): many more examples from fresh random seeds.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=200, derandomize=True, database=None, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("nightly", max_examples=5000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
