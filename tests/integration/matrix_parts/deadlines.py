from tests.integration.matrix_parts import ADM, ADMIN_ONLY, ANON, BUR, COM, EVERYONE, IND, NOBODY, SIGNED_IN, UNIT  # noqa: F401

MATRIX: dict[str, set[str]] = {
    # 消息: 全部标为已读 of one's own messages
    "MessageCentreView.read_all": SIGNED_IN,
    # 统计 and 超期未办 with 催办: the bureau of a region
    "OverviewView.": {BUR, ADM},
    "OverdueWorkView.list": {BUR, ADM},
    "OverdueWorkView.urge": {BUR},  # Admin holds every permission but is no region's bureau: the command says 403
    # seed 003's 一览表 of the applicants a unit reported
    "ReportedListView.": {UNIT, ADM},
}
MATRIX.update({f"BusinessPeriodView.{m}": {BUR, ADM} for m in ("list", "show", "add", "edit", "delete")})
MATRIX.update({f"BusinessPeriodView.{m}": NOBODY for m in ("action", "action_post", "download")})
