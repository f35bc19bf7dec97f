"""X5: /api/v1/my_applications/ answers only the signed-in applicant's own rows, read only, with
the same permission as the pages (can_get / can_info on MyApplicationApi)."""
from __future__ import annotations

from app.extensions import db
from tests.conftest import PASSWORD
from tests.factories import make_application, make_person


def _token(client, username: str) -> dict:
    response = client.post("/api/v1/security/login", json={"username": username, "password": PASSWORD,
                                                           "provider": "db"})
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


def _data(app):
    with app.app_context():
        person = app.appbuilder.sm.find_user(username="demo_person")
        # one open application per business and year: the second is a recognition
        mine = [make_application(person).id,
                make_application(person, status="pending_unit", business="recognition").id]
        other = make_application(make_person("lisi", "110105198001010016", "李四"), series="工程", level="中级").id
        db.session.commit()
        return mine, other


def test_lists_only_own_applications(app, client, demo):
    mine, other = _data(app)
    headers = _token(client, "demo_person")
    body = client.get("/api/v1/my_applications/", headers=headers).get_json()
    assert body["count"] == 2 and sorted(body["ids"]) == sorted(mine)
    row = body["result"][0]
    assert {"business", "year", "status", "title", "level"} <= set(row) and row["level"] == {"name": "初级"}
    assert not any("id_number" in key or key.startswith("person") for key in row)
    shown = client.get(f"/api/v1/my_applications/{mine[0]}", headers=headers).get_json()["result"]
    assert shown["title"]["name"] == "助理馆员" and shown["recommendation_rank"] == "1/3"
    assert client.get(f"/api/v1/my_applications/{other}", headers=headers).status_code == 404
    # a filter cannot widen the base filter: the owner column is not searchable at all, and a filter
    # on a searchable column that every row passes still gives only the applicant's own rows
    query = '?q=(filters:!((col:person_id,opr:neq,value:0)))'
    refused = client.get("/api/v1/my_applications/" + query, headers=headers)
    assert refused.status_code == 400 and "person_id" in refused.get_json()["message"]
    query = '?q=(filters:!((col:year,opr:neq,value:0)))'
    widened = client.get("/api/v1/my_applications/" + query, headers=headers)
    assert widened.status_code == 200, widened.get_data(as_text=True)
    assert widened.get_json()["count"] == 2 and sorted(widened.get_json()["ids"]) == sorted(mine)


def test_read_only_and_other_roles_see_nothing(app, client, demo):
    mine, _other = _data(app)
    headers = _token(client, "demo_person")
    assert client.delete(f"/api/v1/my_applications/{mine[0]}", headers=headers).status_code in (404, 405)
    assert client.put(f"/api/v1/my_applications/{mine[0]}", json={"status": "certified"},
                      headers=headers).status_code in (404, 405)
    assert client.post("/api/v1/my_applications/", json={}, headers=headers).status_code in (404, 405)
    assert client.get("/api/v1/my_applications/_info", headers=headers).status_code == 200
    unit = _token(client, "demo_unit")
    assert client.get("/api/v1/my_applications/", headers=unit).status_code in (401, 403)
    admin = _token(client, "admin")
    assert client.get("/api/v1/my_applications/", headers=admin).get_json()["count"] == 0
    assert client.get("/api/v1/my_applications/").status_code == 401
