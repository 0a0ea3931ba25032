from prevention.models import Initiative


def test_world_builds_two_districts(world):
    assert Initiative.objects.count() == 2
    assert Initiative.objects.visible_to(world.a.official).get() == world.a.initiative
