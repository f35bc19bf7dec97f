"""P10: the text of every PDF is the text of its page — copying 文 gives 文 (U+6587), never the
Kangxi radical ⽂ (U+2F42) that shares its glyph in the CJK font. Rendered by the real wkhtmltopdf."""
from __future__ import annotations

import datetime as dt
import io
import re

from pypdf import PdfReader

from app.extensions import db
from app.models.applications import ApplicationSection, SectionEntry
from app.services import pdf, pdf_text
from tests.conftest import login
from tests.factories import make_application, make_person

# the ideographs the brief lists as Kangxi-radical look-alikes, then everyday words of a form
LOOK_ALIKES = "文一人日月山女子大小工长见言金门食马鱼鸟龙"
PHRASES = ("文化馆馆员", "山东省威海市", "女子大学工学院", "长见识", "言行一致", "金门大桥", "食品工程",
           "马鞍山", "鱼鸟龙凤", "户口所在地", "日月星辰", "儿童文学", "风雨无阻", "齐鲁大地", "黄河入海流")
RADICAL_BLOCKS = re.compile("[\u2e80-\u2fdf]")


def _text(data: bytes) -> str:
    """Every page's text as pypdf extracts it, without any normalisation."""
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _page(body: str, font: str) -> str:
    return (f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"></head>'
            f'<body style="font-family: {font}">{body}</body></html>')


def test_look_alikes_extract_as_the_ideographs_printed(app):
    text = LOOK_ALIKES + "".join(PHRASES)
    for font in ('"Noto Serif CJK SC"', '"Noto Sans CJK SC"'):
        for weight in ("normal", "bold"):
            with app.app_context():
                data = pdf.html_to_pdf(_page(f'<p style="font-weight:{weight}">{text}</p>', font))
            extracted = _squeeze(_text(data))
            assert not RADICAL_BLOCKS.findall(extracted), (font, weight)
            assert extracted == text, (font, weight)


def test_a_page_without_radicals_comes_back_unchanged(app):
    with app.app_context():
        data = pdf.html_to_pdf(_page("<p>Hello 12345</p>", "sans-serif"))
    assert pdf_text.unify_cjk_text(data) == data
    assert _squeeze(_text(data)) == "Hello12345"


def test_the_review_form_pdf_has_the_text_of_the_form(app, client):
    with app.app_context():
        user = make_person(username="wenyi", real_name="文一鸣", id_number="11010519491231002X")
        application = make_application(user, status="pending_unit", submitted_at=dt.datetime(2026, 11, 20, 1))
        application_id = application.id
        db.session.add(SectionEntry(application_id=application_id, section="work_experience", position=0,
                                    data={"started_on": "2015-07-01", "ended_on": "", "unit": "金门文化馆-文艺部-馆员",
                                          "post": "馆员"}))
        db.session.add(SectionEntry(application_id=application_id, section="education", position=0,
                                    data={"kind": "全日制学历", "education": "大学本科", "degree": "学士",
                                          "school": "山东女子学院", "major": "文化产业管理",
                                          "graduated_on": "2015-06-30", "schooling": "4年", "foreign": False,
                                          "chsi_code": "A1B2C3D4"}))
        db.session.add(ApplicationSection(application_id=application_id, section="work_summary", status="filled",
                                          text="组织长见言金门食马鱼鸟龙主题展览，服务山区群众"))
        db.session.commit()
        printed = pdf.render_form(application, pdf.FORMS["review_form"], standalone=True)
    login(client, "wenyi")
    response = client.get(f"/applications/{application_id}/forms/review_form.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    extracted = _squeeze(_text(response.data))
    assert not RADICAL_BLOCKS.findall(extracted)
    for value in ("文一鸣", "金门文化馆-文艺部-馆员", "山东女子学院", "文化产业管理",
                  "组织长见言金门食马鱼鸟龙主题展览，服务山区群众", "专业技术职务任职资格评审表"):
        assert value in extracted, value
    # every ideograph of the page's text is in the PDF's text as often (the signature boxes come out of order)
    page_text = re.sub(r"<[^>]+>", "", printed.split("<body>", 1)[1])
    assert sorted(re.findall(r"[\u4e00-\u9fff]", extracted)) == sorted(re.findall(r"[\u4e00-\u9fff]", page_text))


def test_tounicode_entries_of_every_shape_are_rewritten():
    cmap = (b"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            b"2 beginbfchar\n<0003> <2F42>\n<0004> <00660069>\nendbfchar\n"
            b"3 beginbfrange\n<0005> <0006> [<2ED3> <0041>]\n<0010> <0012> <2F40>\n<0020> <0021> <0030>\nendbfrange\n")
    fixed = pdf_text._CMAP_BLOCK.sub(lambda m: m.group(1) + m.group(2) + pdf_text._rewrite_block(m.group(2), m.group(3))
                                     + m.group(4), cmap)
    assert b"<0003> <6587>" in fixed  # 文
    assert b"<0004> <00660069>" in fixed  # a ligature's two letters stay
    assert b"<0005> <0006> [<957F> <0041>]" in fixed  # 长
    # ⽀ ⽁ ⽂ (U+2F40–2F42) as one range: 支 攴 文
    assert b"<0010> <0012> [<652F> <6534> <6587>]" in fixed
    assert b"<0020> <0021> <0030>" in fixed
    assert fixed.count(b"beginbfrange") == 1 and b"3 beginbfrange" in fixed


def test_a_pdf_that_cannot_be_read_is_a_clear_503(app, client, tmp_path):
    """wkhtmltopdf wrote something that starts like a PDF but is not one: the error page, never a 500."""
    broken = tmp_path / "broken-wkhtmltopdf"
    broken.write_text("#!/bin/sh\nprintf '%%PDF-1.4 not really a pdf'\n")
    broken.chmod(0o755)
    with app.app_context():
        user = make_person(username="wenyi", real_name="文一鸣", id_number="11010519491231002X")
        application_id = make_application(user, status="pending_unit", submitted_at=dt.datetime(2026, 11, 20, 1)).id
    login(client, "wenyi")
    app.config["WKHTMLTOPDF_PATH"] = str(broken)
    response = client.get(f"/applications/{application_id}/forms/review_form.pdf")
    assert response.status_code == 503 and "生成" in response.get_data(as_text=True)
