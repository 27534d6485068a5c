"""The 调度会 packet as a workbook: one sheet per part of `selectors.packet_build`'s answer.

Every text cell passes through `reports.exports.safe_cell` (a project or investor name
typed as "=HYPERLINK(…)" stays text); "#…" text is forced to a string cell, as the
ledger export does.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from backend.reports.exports import safe_cell


def _day(value) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if hasattr(value, "tzinfo") and value.tzinfo else str(value)


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, name in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, len(name) * 2 + 2)
    ws.freeze_panes = "A2"
    for row in rows:
        ws.append([safe_cell(v) for v in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("#"):
                cell.data_type = "s"


def packet_xlsx(packet: dict) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    conv = packet["conversion"]
    _sheet(wb, "分阶段汇总", ["阶段", "项目数", "计划投资（万元）", "成功概率%", "加权投资（万元）", f"{packet['since']} 以来有变更"], [
        [s["name"], s["count"], s["planned_wan"], s["probability"], s["weighted_wan"], s["changed"]] for s in packet["stages"]
    ] + [["合计", packet["totals"]["count"], packet["totals"]["planned_wan"], None, packet["totals"]["weighted_wan"], packet["changed"]],
         ["签约→落地转化", conv["signed"], None, None, conv["landed"], conv["rate"]]])
    _sheet(wb, "项目清单", ["阶段", "项目", "投资方", "负责人", "计划投资（万元）", "成功概率%", "进入阶段", "本期变更"], [
        [s["name"], p["name"], p["investor"], p["lead_name"], p["investment_wan"], p["probability"], _day(p["stage_entered_at"]),
         "；".join(f"{c['from']}→{c['to']}" for c in p["changes"])]
        for s in packet["stages"] for p in s["projects"]
    ])
    _sheet(wb, "阶段变更", ["时间", "项目", "从", "到", "操作人", "说明"], [
        [_day(c["at"]), p["name"], c["from"], c["to"], c["actor_name"], c["comment"]]
        for s in packet["stages"] for p in s["projects"] for c in p["changes"]
    ])
    _sheet(wb, "停滞项目", ["项目", "阶段", "负责人", "未更新天数", "停滞标准（天）"], [
        [r["name"], r["stage_name"], r["lead_name"], r["days_idle"], r["stale_days"]] for r in packet["stale"]
    ])
    _sheet(wb, "逾期下一步", ["项目", "阶段", "负责人", "下一步", "期限", "逾期天数"], [
        [r["name"], r["stage_name"], r["lead_name"], r["next_step"], str(r["next_due"]), r["days_overdue"]] for r in packet["overdue"]
    ])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
