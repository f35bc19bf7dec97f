"""The catalog pickers answer [] unless every id they need is a positive whole number: a missing, zero,
negative or non-numeric id lists nothing (and never a 500)."""
from __future__ import annotations

from tests.conftest import login
from tests.integration.test_pickers import _ids


def test_catalog_pickers_need_every_id(app, client, demo):
    level, series, _region = _ids(app)
    login(client, "demo_person")
    assert client.get(f"/pickers/titles?level={level}&series={series}").get_json()  # both given: rows
    for url in (f"/pickers/titles?level={level}", f"/pickers/titles?series={series}",
                f"/pickers/titles?level={level}&series=0", f"/pickers/titles?level=-{level}&series={series}",
                "/pickers/series", "/pickers/series?level=x", "/pickers/specialties?series=",
                f"/pickers/specialties?series={series}.0"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.get_json() == [], url
