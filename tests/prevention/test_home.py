def test_anonymous_home_offers_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Sign in" in response.text


def test_official_home_lists_own_plan_only(client, world):
    client.force_login(world.a.official)
    response = client.get("/")
    assert "Plan A" in response.text
    assert "Plan B" not in response.text
