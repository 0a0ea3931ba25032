"""Keep the garbage collector's full passes off the objects that live as long as the process.

After start-up, the modules, classes, URL patterns and settings of Django and the app are a hundred
thousand objects or more that are never freed. Python's full (oldest-generation) collection walks all of
them; on a two-CPU server that added about 100 ms to whichever request set it off. Frozen after
start-up, they are left out of every pass.
"""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    """Collect what start-up left behind, then freeze the rest (``gc.freeze``)."""
    gc.collect()
    gc.freeze()
