"""``archgen build``: check every spec under some paths and draw the valid ones, incrementally.

``run`` decides what is stale and prunes, ``workers`` draws across processes, and
``manifest`` records which spec and key produced each file of the output folder.
"""

from archgen.build.run import BuildOptions, BuildReport, SpecOutcome, build
from archgen.build.workers import default_jobs

__all__ = ["BuildOptions", "BuildReport", "SpecOutcome", "build", "default_jobs"]
