from tests.conftest import login


def test_login_page_is_chinese(client):
    response = client.get("/", follow_redirects=True)
    assert response.status_code == 200
    assert "登录" in response.get_data(as_text=True)


def test_each_demo_account_logs_in(client, demo):
    for name in ("admin", "demo_person", "demo_unit", "demo_superior", "demo_bureau", "demo_committee"):
        response = login(client, name)
        assert response.status_code == 302, name
        client.post("/logout/")
