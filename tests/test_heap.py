"""Start-up loads what Django would load on the first requests, so that the heap freeze takes it too."""

from __future__ import annotations

import pytest
from django.template import TemplateSyntaxError, engines
from django.urls import reverse

from config.heap import load_lazy_parts


def _cached_loader():
    (cached,) = engines["django"].engine.template_loaders
    return cached


def _compiled_templates() -> set[str]:
    return set(_cached_loader().get_template_cache)


@pytest.mark.parametrize("who", ["official", "police", "partner"])
def test_after_start_up_the_dashboards_compile_no_template(client, world, who):
    # A template compiled after the freeze stays in memory as long as the process, and every full
    # collection pass walks it again.
    _cached_loader().reset()  # as a new process: nothing compiled yet
    load_lazy_parts()
    before = _compiled_templates()
    client.force_login(getattr(world.a, who))
    response = client.get(reverse("prevention:dashboard") + f"?role={who}")
    assert response.status_code == 200
    assert "base.html" in before
    assert _compiled_templates() == before


def test_a_template_that_does_not_compile_stops_the_start_up(settings, tmp_path):
    (tmp_path / "broken.html").write_text("{% if %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    with pytest.raises(TemplateSyntaxError):
        load_lazy_parts()
