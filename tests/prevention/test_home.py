def test_anonymous_home_offers_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Sign in" in response.text


def test_signed_in_users_land_on_their_dashboard(client, world):
    client.force_login(world.a.official)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    dashboard = client.get(response["Location"])
    assert "Plan A" in dashboard.text
    assert "Plan B" not in dashboard.text
