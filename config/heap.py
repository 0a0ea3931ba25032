"""Keep the garbage collector's full passes off the objects that live as long as the process.

After start-up, the modules, classes, URL patterns and settings of Django and the app are a hundred
thousand objects or more that are never freed. Python's full (oldest-generation) collection walks all of
them; on a two-CPU server that added about 100 ms to whichever request set it off. Frozen after
start-up, they are left out of every pass.

Django loads some of its longest-lived objects only on the first requests that need them: the views
(through the URLconf), the compiled templates (the cached loader), the reverse-lookup tables and the
translation catalogues. Left to load after the freeze, they were some 40,000 objects that every full
pass walked again: 11-20 ms added to one request in about twenty on the largest dashboards. So they are
loaded first, then frozen with the rest.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import reverse
from django.utils import translation

TEMPLATE_SUFFIXES = {".html", ".txt"}


def load_lazy_parts() -> None:
    """Load now what Django would otherwise load on the first requests.

    Every template the loaders can find is compiled into the cached loader, under the name a view would
    ask for (the first directory that has it wins, as for a view). A template that does not compile
    raises here, at start-up, rather than on the first request that renders it.
    """
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            # The first reverse imports the URLconf, and with it every view; each language has its own table.
            reverse("healthz")
    for engine in engines.all():
        for name in _template_names(engine):
            engine.get_template(name)


def _template_names(engine) -> Iterator[str]:
    """Every template name the engine's loaders (or the loaders a cached loader wraps) can find."""
    for loader in engine.engine.template_loaders:
        for source in getattr(loader, "loaders", [loader]):
            for directory in map(Path, source.get_dirs()):
                for path in directory.rglob("*"):
                    if path.suffix in TEMPLATE_SUFFIXES and path.is_file():
                        yield path.relative_to(directory).as_posix()


def freeze_startup_objects() -> None:
    """Load the lazy parts, collect what start-up left behind, then freeze the rest (``gc.freeze``)."""
    load_lazy_parts()
    gc.collect()
    gc.freeze()
