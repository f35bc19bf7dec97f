"""证书库管理 → 导出: the certificates of a list as an Excel sheet (openpyxl, write-only, so a long list
streams), ID numbers masked as on every page that is not the holder's own."""
from __future__ import annotations

import io

from openpyxl import Workbook

from app.clock import format_local
from app.security.validators import mask_id_number
from app.workflow.certificate_states import certificate_label

HEADERS = ("证书编号", "姓名", "身份证号", "系列", "级别", "资格名称", "专业", "发证机构", "公布时间", "状态",
           "注销原因", "入库时间")


def _cell(value: str) -> str:
    """A text that Excel will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def workbook(certificates) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("证书")
    sheet.append(HEADERS)
    for c in certificates:
        sheet.append([_cell(v) for v in (
            c.number, c.holder_name, mask_id_number(c.holder_id_number), c.series_name, c.level_name,
            c.title_name, c.specialty_name, c.issuer_name, c.published_on.isoformat(),
            certificate_label(c.status), c.revoke_reason or "", format_local(c.issued_at, "%Y-%m-%d %H:%M"))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
