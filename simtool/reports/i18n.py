"""The reports' fixed strings in en, zh_CN and zh_TW (scenario texts come from the scenario).

A dict rather than Qt Linguist: ``simtool.reports`` imports no Qt, and a report must render
the same in the CLI as in the window."""

from __future__ import annotations

from simtool.core.languages import LANGS

PDF_LANG = {"en": "en", "zh_CN": "zh-CN", "zh_TW": "zh-TW"}

# key: (en, zh_CN, zh_TW)
_S: dict[str, tuple[str, str, str]] = {
    "score_sheet": ("Score sheet", "评分表", "評分表"),
    "team_score_sheet": ("Team score sheet", "团队评分表", "團隊評分表"),
    "debrief": ("Debrief report", "复盘报告", "回饋討論報告"),
    "quality": ("Quality report", "质量报告", "品質報告"),
    "page": ("Page {n} of {m}", "第 {n} 页，共 {m} 页", "第 {n} 頁，共 {m} 頁"),
    "drill": ("Drill", "演练", "演練"),
    "scenario": ("Scenario", "场景", "情境"),
    "version": ("version", "版本", "版本"),
    "date": ("Date", "日期", "日期"),
    "evaluation_type": ("Evaluation", "评估类型", "評估類型"),
    "examiners": ("Examiner(s)", "考官", "考官"),
    "trainee": ("Trainee", "学员", "學員"),
    "team": ("Team", "团队", "團隊"),
    "role": ("Role", "角色", "角色"),
    "item": ("Item", "项目", "項目"),
    "result": ("Result", "结果", "結果"),
    "points": ("Points", "分数", "分數"),
    "evidence": ("Evidence", "依据", "依據"),
    "critical_note": ("★ critical item: not met fails the sheet",
                      "★ 关键项目：未达成即判不合格", "★ 關鍵項目：未達成即判不合格"),
    "total": ("Total", "总分", "總分"),
    "cut_score": ("cut score", "合格线", "合格線"),
    "verdict": ("Verdict", "结论", "結論"),
    "global_grade": ("Global grade", "总体评级", "整體評級"),
    "nts": ("Non-technical skills", "非技术技能", "非技術技能"),
    "comments": ("Comments", "评语", "評語"),
    "signature": ("Examiner signature", "考官签名", "考官簽名"),
    "signed": ("Signed by {who} at {at}", "由 {who} 于 {at} 签署", "由 {who} 於 {at} 簽署"),
    "unsigned": ("Not signed yet", "尚未签署", "尚未簽署"),
    "amended": ("Amended by {who} at {at} (supersedes version {v}): {why}",
                "由 {who} 于 {at} 修订（取代第 {v} 版）：{why}", "由 {who} 於 {at} 修訂（取代第 {v} 版）：{why}"),
    "record_hash": ("Record hash (simtool verify)", "记录哈希（simtool verify）", "紀錄雜湊（simtool verify）"),
    "audit_head": ("Audit chain head", "审计链末端", "稽核鏈末端"),
    "override": ("overridden by {by}: {reason}", "考官 {by} 更改：{reason}", "考官 {by} 更改：{reason}"),
    "late_by": ("late by {s}", "延迟 {s}", "延遲 {s}"),   # {s}: a duration, "3 min 30 s" (timefmt)
    "not_done_by": ("not done by {t}", "{t} 前未完成", "{t} 前未完成"),
    "not_rated": ("not rated", "未评分", "未評分"),
    "too_few": ("too few drills (n={n})", "演练次数过少（n={n}）", "演練次數過少（n={n}）"),
    "not_observed": ("not observed", "未观察到", "未觀察到"),
    "none": ("none", "无", "無"),
    # statuses and verdicts
    "met": ("met", "达成", "達成"),
    "not met": ("not met", "未达成", "未達成"),
    "late": ("late", "延迟", "延遲"),
    "missed": ("missed", "遗漏", "遺漏"),
    "not applicable": ("not applicable", "不适用", "不適用"),
    "not observed": ("not observed", "未观察到", "未觀察到"),
    "pending-examiner": ("awaiting examiner", "待考官评分", "待考官評分"),
    "pending": ("pending", "待定", "待定"),
    "due": ("due", "进行中", "進行中"),
    "pass": ("PASS", "合格", "合格"),
    "fail": ("FAIL", "不合格", "不合格"),
    "why_critical": ("critical item not met: {items}", "关键项目未达成：{items}", "關鍵項目未達成：{items}"),
    "why_pending": ("awaiting the examiner: {items}", "待考官评分：{items}", "待考官評分：{items}"),
    "why_pass": ("{p} % reaches the cut score {c} %", "{p}% 达到合格线 {c}%", "{p}% 達到合格線 {c}%"),
    "why_below": ("{p} % is below the cut score {c} %", "{p}% 低于合格线 {c}%", "{p}% 低於合格線 {c}%"),
    "why_na": ("no item applies to this sheet", "本表无适用项目", "本表無適用項目"),
    "formative": ("formative", "形成性", "形成性"),
    "summative": ("summative", "终结性", "總結性"),
    # debrief
    "timeline": ("Timeline", "时间线", "時間線"),
    "time": ("Time", "时间", "時間"),
    "event": ("Event", "事件", "事件"),
    "vitals_chart": ("Vital signs and blood loss", "生命体征与出血量", "生命徵象與出血量"),
    "hr": ("HR /min", "心率 /分", "心率 /分"),
    "sbp": ("SBP mmHg", "收缩压 mmHg", "收縮壓 mmHg"),
    "spo2": ("SpO₂ %", "SpO₂ %", "SpO₂ %"),
    "blood_loss": ("Blood loss mL", "出血量 mL", "出血量 mL"),
    "minutes": ("min", "分钟", "分鐘"),
    "expected_actions": ("Expected actions", "预期处置", "預期處置"),
    "status": ("Status", "状态", "狀態"),
    "done_at": ("Done", "完成时间", "完成時間"),
    "due_by": ("Due by", "时限", "時限"),
    "by": ("By", "执行者", "執行者"),
    "indicators": ("Process indicators", "过程指标", "過程指標"),
    "seconds": ("Time", "用时", "用時"),
    "target": ("Target", "目标", "目標"),
    "flags": ("Flags", "警示", "警示"),
    "no_flags": ("No flags were raised.", "未出现警示。", "未出現警示。"),
    "went_well": ("What went well", "做得好的地方", "做得好的地方"),
    "to_improve": ("What to improve", "需要改进的地方", "需要改進的地方"),
    "pearls": ("PEARLS debriefing", "PEARLS 复盘结构", "PEARLS 回饋討論結構"),
    "pearls_reactions": ("Reactions: how did that feel?", "反应：感觉如何？", "反應：感覺如何？"),
    "pearls_description": ("Description: what happened, in brief?", "描述：简要说明发生了什么？",
                           "描述：簡要說明發生了什麼？"),
    "pearls_analysis": ("Analysis: learner self-assessment, focused facilitation, directive feedback",
                        "分析：学员自评、聚焦引导、直接反馈", "分析：學員自評、聚焦引導、直接回饋"),
    "pearls_summary": ("Summary: take-home points", "总结：要点回顾", "總結：要點回顧"),
    "pearls_reflection": ("Trainee's reflection", "学员反思", "學員反思"),
    "noted_by": ("noted by {by}, {at}", "记录人：{by}，{at}", "記錄人：{by}，{at}"),
    "team_items": ("Team items", "团队项目", "團隊項目"),
    "outcome": ("Outcome", "结局", "結局"),
    "references": ("References", "参考文献", "參考文獻"),
    "state": ("State", "状态", "狀態"),
    "entered": ("entered {state}", "进入 {state}", "進入 {state}"),
    "marker": ("marker: {m}", "节点：{m}", "節點：{m}"),
    "start": ("drill started", "演练开始", "演練開始"),
    "end": ("drill ended", "演练结束", "演練結束"),
    "pause": ("paused", "暂停", "暫停"),
    "resume": ("resumed", "继续", "繼續"),
    "note": ("note: {text}", "备注：{text}", "備註：{text}"),
    "drape_on": ("blood-loss drape shown to the team", "向团队显示失血量（计量单）",
                 "向團隊顯示失血量（計量單）"),
    "drape_off": ("blood-loss drape hidden", "隐藏失血量（计量单）", "隱藏失血量（計量單）"),
    "blank_on": ("monitor blanked", "监护仪黑屏", "監視器黑屏"),
    "blank_off": ("monitor shown again", "监护仪恢复显示", "監視器恢復顯示"),
    "flag": ("flag: {text}", "警示：{text}", "警示：{text}"),
    "retract": ("retracted event {ref}", "撤销事件 {ref}", "撤銷事件 {ref}"),
    "amend": ("event {ref} ({action}) corrected: {changes} — {why}",
              "事件 {ref}（{action}）已更正：{changes}——{why}",
              "事件 {ref}（{action}）已更正：{changes}——{why}"),
    "struck": ("{text} (struck from the record)", "{text}（已从记录中删除）", "{text}（已從記錄中刪除）"),
    "unflag": ("flag on {action} withdrawn after a correction", "更正后撤销对 {action} 的警示",
               "更正後撤銷對 {action} 的警示"),
    "force": ("instructor moved to {state}", "导师切换至 {state}", "指導者切換至 {state}"),
    "well_met": ("{label} (at {t})", "{label}（{t}）", "{label}（{t}）"),
    "improve_late": ("{label}: late ({t}, due {due})", "{label}：延迟（{t}，时限 {due}）",
                     "{label}：延遲（{t}，時限 {due}）"),
    "improve_missed": ("{label}: missed (due {due})", "{label}：遗漏（时限 {due}）",
                       "{label}：遺漏（時限 {due}）"),
    "improve_flag": ("{text} ({t})", "{text}（{t}）", "{text}（{t}）"),
    "nothing": ("—", "—", "—"),
    # quality
    "period": ("Period", "期间", "期間"),
    "drill_counts": ("Drills by scenario and quarter", "各场景各季度演练数", "各情境各季度演練數"),
    "quarter": ("Quarter", "季度", "季度"),
    "drills": ("Drills", "演练数", "演練數"),
    "indicator": ("Indicator", "指标", "指標"),
    "compliance": ("Met", "达标率", "達標率"),
    "median": ("Median", "中位数", "中位數"),
    "n_applicable": ("n", "例数", "例數"),
    "compliance_target": ("target: more than {p} % of drills meet each indicator",
                          "目标：各指标达标演练比例高于 {p}%", "目標：各指標達標演練比例高於 {p}%"),
    "no_drills": ("No ended drills in this period.", "本期间没有已结束的演练。", "本期間沒有已結束的演練。"),
    "total_drills": ("Ended drills", "已结束演练", "已結束演練"),
    "institution": ("Institution", "机构", "機構"),
    "department": ("Department", "科室", "科室"),
    "indicators_by_quarter": ("Indicators by quarter", "各季度指标", "各季度指標"),
    "target_per_drill": ("per drill {t}", "每次演练 {t}", "每次演練 {t}"),
    "trend": ("Trend: share of drills meeting each indicator", "趋势：各指标达标演练比例",
              "趨勢：各指標達標演練比例"),
    "misses": ("Drills that missed a target", "未达标的演练", "未達標的演練"),
    "no_misses": ("Every drill met every target.", "所有演练均达标。", "所有演練均達標。"),
    "not_reached": ("not reached", "未完成", "未完成"),
    "generated": ("Generated {at} by simtool {v}", "由 simtool {v} 于 {at} 生成", "由 simtool {v} 於 {at} 產生"),
}


def tr(key: str, lang: str, **values: object) -> str:
    """The fixed string ``key`` in ``lang`` with ``values`` filled in."""
    text = _S[key][LANGS.index(lang)]
    return text.format(**values) if values else text


def keys() -> tuple[str, ...]:
    return tuple(_S)


def check_lang(lang: str) -> str:
    from simtool.core.errors import SimtoolError
    if lang not in LANGS:
        raise SimtoolError(f"unknown report language '{lang}' (choose from {', '.join(LANGS)})")
    return lang
