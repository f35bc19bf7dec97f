"""X3: signed in as each demo role (and side B's applicant and unit), crawl every GET page and JSON
endpoint reachable — the url_map's routes without arguments, every link of every page, the JSON API, and
the URL of every row of the world — and find no full ID number or full mobile of ANOTHER person in any
of them. A form PDF is fetched for each role too. The holder may see its own numbers."""
from __future__ import annotations

import io
import unicodedata

import pytest
from pypdf import PdfReader

from tests.security import conftest as w
from tests.security.crawl import SKIP, argument_free_get_routes, crawl

# whose number each is, by the username that may see it
ID_NUMBERS = {"demo_person": w.DEMO_PERSON_ID, w.APPLICANT_B[0]: w.APPLICANT_B[2], w.APPLICANT_C[0]: w.APPLICANT_C[2]}
MOBILES = {"demo_person": w.DEMO_PERSON_MOBILE, w.APPLICANT_B[0]: w.APPLICANT_B[3],
           w.APPLICANT_C[0]: w.APPLICANT_C[3], "demo_unit": w.UNIT_A_MOBILE, "demo_superior": w.SUPERIOR_MOBILE,
           "sec_unit_b": w.UNIT_B_MOBILE}
ROLES = ["demo_person", "demo_unit", "demo_superior", "demo_bureau", "demo_committee", "admin",
         w.APPLICANT_B[0], "sec_unit_b"]
JSON_SEEDS = ["/api/v1/my_applications/", "/api/v1/my_applications/?q=(page_size:100)", "/api/v1/profile/",
              "/api/v1/menu/", "/api/v1/_openapi", "/pickers/units?q=文化", "/pickers/units?q=1", "/public/regions",
              "/account/messages/list/"]


def _row_urls(world) -> list[str]:
    urls = []
    for side in ("a", "b"):
        ids = world.ids[side]
        applications = [ids["draft"], ids["review"], ids["reported"]] + ([ids["review_c"]] if side == "a" else [])
        for app_id in applications:
            urls += [f"/applications/{app_id}", f"/applications/{app_id}/timeline", f"/review/{app_id}",
                     f"/api/v1/my_applications/{app_id}", f"/applications/{app_id}/sections/education",
                     *[f"/applications/{app_id}/forms/{kind}" for kind in
                       ("review_form", "review_brief", "recognition_form", "transfer_form")]]
        urls += [f"/units/permission-review/{ids['permission']}", f"/account/messages/show/{ids['notification']}",
                 f"/catalog/committees/show/{ids['committee']}"]
    return urls


def _must_see(world, username: str) -> list[tuple[str, str]]:
    """Pages of this role that show a person's ID number (masked, or the holder's own in full)."""
    from app.security.validators import mask_id_number

    a, b = world.ids["a"], world.ids["b"]
    c_masked = mask_id_number(w.APPLICANT_C[2])
    return {
        "demo_person": [(f"/applications/{a['review']}/forms/review_form", w.DEMO_PERSON_ID),
                        ("/api/v1/profile/", mask_id_number(w.DEMO_PERSON_ID))],
        w.APPLICANT_B[0]: [(f"/applications/{b['review']}/forms/review_form", w.APPLICANT_B[2])],
        "demo_unit": [(f"/review/{a['review_c']}", w.APPLICANT_C[1])],
        "demo_superior": [("/units/path-review/", "威海市环翠区文化馆")],
        "demo_bureau": [(f"/applications/{a['review_c']}/forms/review_form", c_masked),
                        (f"/units/permission-review/{a['permission']}", "威海市环翠区文化馆")],
        "demo_committee": [(f"/applications/{a['review_c']}/forms/review_form", c_masked)],
        "admin": [(f"/applications/{a['review_c']}/forms/review_form", c_masked)],
        "sec_unit_b": [(f"/review/{b['review']}", w.APPLICANT_B[1])],
    }[username]


def _secrets_of_others(username: str) -> dict[str, str]:
    found = {f"ID number of {who}": number for who, number in ID_NUMBERS.items() if who != username}
    found.update({f"mobile of {who}": number for who, number in MOBILES.items() if who != username})
    return found


def _leaks(text: str, secrets: dict[str, str]) -> list[str]:
    upper = text.upper()
    return [what for what, number in secrets.items() if number.upper() in upper]


@pytest.mark.parametrize("username", ROLES)
def test_no_page_shows_another_persons_id_number_or_mobile(app, world, clients, username):
    client = clients(username)
    seeds = ["/"] + argument_free_get_routes(app) + JSON_SEEDS + _row_urls(world)
    pages = crawl(client, seeds)
    by_url = {p.url: p for p in pages}
    for url, shown in _must_see(world, username):  # the crawl reads pages that do show these numbers
        assert url in by_url and by_url[url].status == 200, f"{username}: the crawl did not open {url}"
        assert shown in by_url[url].body, f"{username}: {url} does not show {shown}"
    secrets = _secrets_of_others(username)
    wrong = []
    for page in pages:
        assert page.status < 500, f"{username}: GET {page.url} gave {page.status}"
        leaked = _leaks(page.body, secrets)
        if leaked:
            wrong.append(f"{page.url} ({page.status}) shows the full {', '.join(leaked)}")
    assert not wrong, f"{username} (crawled {len(pages)} pages):\n" + "\n".join(wrong)


def _pdf_text(data: bytes) -> str:
    return unicodedata.normalize("NFKC", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


@pytest.mark.parametrize("username", ["demo_unit", "demo_bureau", "demo_committee"])
def test_form_pdf_shows_no_full_id_number_or_mobile_to_others(app, world, clients, username):
    """The PDF of an application under review, as a unit, bureau and committee on its way see it."""
    response = clients(username).get(f"/applications/{world.ids['a']['review_c']}/forms/review_form.pdf")
    if response.status_code == 503:
        pytest.skip("wkhtmltopdf is not installed here")
    assert response.status_code == 200 and response.mimetype == "application/pdf", response.status_code
    text = _pdf_text(response.data)
    assert w.APPLICANT_C[1] in text  # the PDF is readable: the applicant's name is in it
    leaked = _leaks(text.replace(" ", ""), _secrets_of_others(username))
    assert not leaked, f"{username}: the form PDF shows the full {leaked}"


def test_the_crawler_skips_what_changes_state_on_get():
    assert SKIP.search("/logout/") and SKIP.search("/lang/en") and SKIP.search("/catalog/levels/delete/1")
    assert not SKIP.search("/applications/1")
