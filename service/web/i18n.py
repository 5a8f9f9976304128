"""Interface strings in Chinese and English, and the language choice (cookie, then browser)."""

from __future__ import annotations

from typing import Literal

from fastapi import Request

from service.export import STATUS_LABELS

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
COOKIE = "dr_lang"

# key: (中文, English)
STRINGS: dict[str, tuple[str, str]] = {
    "app_name": ("基因治疗非临床研究计划审评", "Gene-therapy non-clinical plan review"),
    "app_sub": ("依据《基因治疗产品非临床研究与评价技术指导原则》", "against the CDE guideline on non-clinical "
                "research and evaluation of gene therapy products"),
    "nav_reviews": ("审评记录", "Reviews"),
    "nav_new": ("新建审评", "New review"),
    "nav_lookup": ("条款检索", "Guideline lookup"),
    "skip": ("跳至正文", "Skip to content"),
    "switch_lang": ("English", "中文"),
    "switch_lang_label": ("Switch to English", "切换到中文"),
    # reviews list
    "reviews_title": ("审评记录", "Reviews"),
    "reviews_empty": ("尚无审评记录。", "No reviews yet."),
    "reviews_start": ("上传研究计划开始审评", "Upload a study plan to start a review"),
    "col_file": ("文件", "File"),
    "col_product": ("产品类型", "Product"),
    "col_date": ("提交时间", "Submitted"),
    "col_state": ("状态", "State"),
    "col_gaps": ("缺口", "Gaps"),
    "col_actions": ("操作", "Actions"),
    "open": ("打开", "Open"),
    "delete": ("删除", "Delete"),
    "cancel": ("取消", "Cancel"),
    "confirm_delete_title": ("删除审评记录？", "Delete this review?"),
    "confirm_delete_body": ("将删除“{name}”的核查表及全部人工复核意见，且无法恢复。",
                            "The checklist of “{name}” and all reviewer overrides will be deleted. "
                            "This cannot be undone."),
    "state_queued": ("排队中", "queued"),
    "state_running": ("审评中", "running"),
    "state_done": ("已完成", "done"),
    "state_failed": ("失败", "failed"),
    # upload
    "upload_title": ("新建审评", "New review"),
    "upload_intro": ("上传基因治疗产品非临床研究计划（PDF，带文字层）。系统将逐条对照指导原则生成带引文的核查表。",
                     "Upload a gene-therapy non-clinical study plan (PDF with a text layer). The service checks "
                     "it clause by clause against the guideline and returns a cited checklist."),
    "drop_here": ("将 PDF 拖放到此处，或", "Drop the PDF here, or"),
    "choose_file": ("选择文件", "choose a file"),
    "no_file": ("未选择文件", "No file chosen"),
    "file_required": ("请先选择一个 PDF 文件。", "Choose a PDF file first."),
    "profile_legend": ("产品特征（可选）", "Product profile (optional)"),
    "profile_help": ("留空的项由系统从计划中识别；填写的项将覆盖识别结果。",
                     "Leave a field blank to detect it from the plan; a value given here overrides detection."),
    "detect": ("自动识别", "detect from plan"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "start_review": ("开始审评", "Start review"),
    "uploading": ("正在上传…", "Uploading…"),
    "upload_failed": ("文件未被接受", "The file was not accepted"),
    "network_error": ("无法连接服务，请稍后重试。", "The service could not be reached; try again."),
    # progress
    "progress_title": ("审评进行中", "Review in progress"),
    "stage": ("阶段", "Stage"),
    "stage_starting": ("准备中", "starting"),
    "stage_parsing": ("解析 PDF", "reading the PDF"),
    "stage_profiling": ("识别产品特征", "detecting the product profile"),
    "stage_checking requirements": ("逐条核查要求", "checking requirements"),
    "stage_done": ("完成", "done"),
    "stage_queued": ("排队等待", "waiting in the queue"),
    "failed_title": ("审评失败", "The review failed"),
    "rerun": ("重新审评", "Re-run review"),
    "poll_lost": ("暂时无法获取进度，正在重试…", "Progress is unavailable for now; retrying…"),
    # checklist
    "submitted": ("提交于", "Submitted"),
    "exports": ("导出", "Export"),
    "summary": ("概要", "Summary"),
    "machine": ("系统结论", "Machine"),
    "after_overrides": ("人工复核后", "After overrides"),
    "gaps": ("缺口（缺失或部分符合）", "Gaps (missing or partial)"),
    "items_total": ("要求总数", "Requirements"),
    "overridden": ("人工复核条目", "Overridden"),
    "profile": ("产品特征", "Product profile"),
    "field": ("字段", "Field"),
    "value": ("取值", "Value"),
    "source": ("依据", "Source in the plan"),
    "from_upload": ("上传时指定", "set at upload"),
    "profile_rest": ("其他特征（计划中未见相关表述）", "Other fields (nothing in the plan says otherwise)"),
    "not_found_in_plan": ("—", "—"),
    "out_of_scope": ("不属于本指导原则的适用范围", "Out of scope for this guideline"),
    "no_checklist": ("不适用本指导原则的产品不生成核查表。", "No checklist is produced for an out-of-scope product."),
    "checklist": ("核查表", "Checklist"),
    "filter": ("按结论筛选", "Filter by status"),
    "all": ("全部", "All"),
    "shown": ("显示 {n} / {total} 项", "Showing {n} of {total}"),
    "clause": ("条款", "Clause"),
    "full_clause": ("条款全文", "Full clause text"),
    "rationale": ("理由", "Rationale"),
    "confidence": ("置信度", "Confidence"),
    "decided_by": ("判定方式", "Decided by"),
    "decided_rule": ("规则", "rule"),
    "decided_applicability": ("适用性判断", "applicability"),
    "decided_llm": ("语言模型", "LLM"),
    "evidence": ("计划原文依据", "Evidence in the plan"),
    "no_evidence": ("计划中未找到相关内容。", "Nothing in the plan addresses this."),
    "page_n": ("第 {n} 页", "p. {n}"),
    "show_page": ("查看原文页面", "Show the page"),
    "machine_verdict": ("系统结论", "Machine verdict"),
    "reviewer_verdict": ("审评员结论", "Reviewer verdict"),
    "override": ("人工复核", "Override"),
    "override_edit": ("修改人工复核", "Change the override"),
    "override_status": ("复核结论", "Status"),
    "override_comment": ("意见", "Comment"),
    "override_author": ("审评员", "Reviewer name"),
    "save": ("保存", "Save"),
    "remove_override": ("撤销复核", "Remove override"),
    "saving": ("正在保存…", "Saving…"),
    "saved": ("已保存", "Saved"),
    "anonymous": ("未署名", "unsigned"),
    # evidence viewer
    "viewer_title": ("原文依据", "Evidence"),
    "close": ("关闭", "Close"),
    "prev_page": ("上一页", "Previous page"),
    "next_page": ("下一页", "Next page"),
    "page_of": ("第 {n} / {total} 页", "Page {n} of {total}"),
    "quote": ("引文", "Quote"),
    "quote_not_located": ("未能在页面上精确定位该引文。", "The quote could not be located exactly on the page."),
    "loading": ("加载中…", "Loading…"),
    "page_failed": ("页面无法显示", "The page could not be shown"),
    "profile_field": ("产品特征字段", "Profile field"),
    # lookup
    "lookup_title": ("指导原则条款检索", "Guideline clause lookup"),
    "lookup_help": ("用中文或英文提问，例如“生物分布的取样时间点”或“shedding of replication-competent virus”。",
                    "Ask in Chinese or English, e.g. “生物分布的取样时间点” or “shedding of "
                    "replication-competent virus”."),
    "search": ("检索", "Search"),
    "question": ("问题", "Question"),
    "results_for": ("“{q}”的检索结果", "Results for “{q}”"),
    "no_match": ("指导原则未涉及此问题", "The guideline does not address this question"),
    "no_match_help": ("没有足够相关的条款。可换一种说法，或浏览右侧的条款目录。",
                      "No clause is relevant enough. Rephrase the question or browse the guideline outline."),
    "score": ("相关度", "score"),
    "requirements": ("关联核查要求", "Checklist requirements"),
    "none": ("无", "none"),
    "outline": ("指导原则目录", "Guideline outline"),
    "english_gloss": ("英文摘要（非官方译文）", "English summary (not an official translation)"),
    "clause_children": ("下级条款", "Sub-clauses"),
    "prev_clause": ("上一条", "Previous"),
    "next_clause": ("下一条", "Next"),
    "not_found": ("未找到", "Not found"),
    # what an API error code means for the reviewer (the API's own message is shown as well)
    "err_invalid_pdf": ("文件不是有效的 PDF。", "The file is not a valid PDF."),
    "err_encrypted_pdf": ("PDF 已加密或设有密码，请解除保护后重新上传。",
                          "The PDF is encrypted or password-protected; remove the protection and upload again."),
    "err_empty_pdf": ("PDF 没有页面。", "The PDF has no pages."),
    "err_no_text_layer": ("PDF 没有文字层（可能是扫描件），系统不支持 OCR。",
                          "The PDF has no text layer (a scan?); OCR is not supported."),
    "err_too_large": ("文件超过上传大小限制。", "The file is over the upload size limit."),
    "err_too_many_pages": ("PDF 页数超过限制。", "The PDF has more pages than allowed."),
    "err_parse_timeout": ("PDF 解析超时。", "Reading the PDF took too long."),
    "err_invalid_profile": ("产品特征取值无效。", "A product-profile value is invalid."),
    "err_interrupted": ("服务在审评过程中重启，请重新审评。", "The service restarted during the review; re-run it."),
    "err_upload_missing": ("原始 PDF 已不在存储中，请重新上传。", "The uploaded PDF is no longer stored; upload it again."),
    "err_internal_error": ("审评过程中出现意外错误。", "The review failed unexpectedly."),
    "api_message": ("服务返回：", "Service message:"),
    "back_to_list": ("返回审评记录", "Back to reviews"),
}

PROFILE_FIELDS: dict[str, tuple[str, str]] = {
    "modality": ("产品类型", "Modality"),
    "routes": ("给药途径", "Routes"),
    "replication_competent": ("具有复制能力", "Replication-competent"),
    "integrating": ("整合型", "Integrating"),
    "genome_editing": ("基因编辑", "Genome editing"),
    "transposon": ("转座子", "Transposon"),
    "clinical_dosing": ("临床给药方案", "Clinical dosing"),
    "immunomodulatory_transgene": ("免疫调节性转基因", "Immunomodulatory transgene"),
    "population": ("特殊人群", "Population"),
    "long_term_expression": ("长期表达", "Long-term expression"),
    "nonstandard_species": ("非常规动物种属", "Non-standard species"),
    "surrogate_product": ("替代产品", "Surrogate product"),
    "major_change": ("重大变更", "Major change"),
    "reproductive_organ_toxicity": ("生殖器官毒性", "Reproductive-organ toxicity"),
}

VALUES: dict[str, tuple[str, str]] = {
    "aav": ("腺相关病毒（AAV）", "AAV"), "adenovirus": ("腺病毒", "adenovirus"),
    "lentivirus": ("慢病毒", "lentivirus"), "gamma_retrovirus": ("γ-逆转录病毒", "gamma-retrovirus"),
    "hsv": ("单纯疱疹病毒", "HSV"), "vaccinia": ("痘苗病毒", "vaccinia"),
    "other_virus": ("其他病毒", "other virus"), "plasmid": ("质粒", "plasmid"), "mrna": ("mRNA", "mRNA"),
    "lnp_editing": ("LNP 基因编辑", "LNP genome editing"), "bacteria": ("细菌", "bacteria"),
    "fungus": ("真菌", "fungus"), "phage": ("噬菌体", "phage"), "other": ("其他", "other"),
    "iv": ("静脉", "intravenous"), "intrathecal": ("鞘内", "intrathecal"), "icv": ("脑室内", "ICV"),
    "subretinal": ("视网膜下", "subretinal"), "intravitreal": ("玻璃体内", "intravitreal"),
    "intramuscular": ("肌内", "intramuscular"), "intratumoral": ("瘤内", "intratumoral"),
    "intradermal": ("皮内", "intradermal"), "subcutaneous": ("皮下", "subcutaneous"),
    "oral": ("口服", "oral"), "inhaled": ("吸入", "inhaled"),
    "single": ("单次给药", "single dose"), "repeat": ("重复给药", "repeat dosing"),
    "pediatric": ("儿童", "pediatric"), "wocbp_or_pregnant": ("育龄或妊娠女性", "WOCBP or pregnant"),
    "advanced_cancer": ("晚期肿瘤", "advanced cancer"),
    "True": ("是", "yes"), "False": ("否", "no"),
}
MODALITIES = ["aav", "adenovirus", "lentivirus", "gamma_retrovirus", "hsv", "vaccinia", "other_virus", "plasmid",
              "mrna", "lnp_editing", "bacteria", "fungus", "phage", "other"]
ROUTES = ["iv", "intrathecal", "icv", "subretinal", "intravitreal", "intramuscular", "intratumoral",
          "intradermal", "subcutaneous", "oral", "inhaled", "other"]
POPULATIONS = ["pediatric", "wocbp_or_pregnant", "advanced_cancer"]
# the JS needs these at run time
JS_KEYS = ("uploading", "upload_failed", "network_error", "file_required", "no_file", "poll_lost", "saving",
           "saved", "page_of", "quote_not_located", "loading", "page_failed", "shown", "stage_starting",
           "stage_parsing", "stage_profiling", "stage_checking requirements", "stage_done", "stage_queued",
           "state_queued", "state_running", "state_done", "state_failed")


ERROR_CODES = ("invalid_pdf", "encrypted_pdf", "empty_pdf", "no_text_layer", "too_large", "too_many_pages",
               "parse_timeout", "invalid_profile", "interrupted", "upload_missing", "internal_error")


def pick_lang(request: Request) -> Lang:
    chosen = request.query_params.get("lang") or request.cookies.get(COOKIE)
    if chosen in LANGS:
        return chosen  # type: ignore[return-value]
    accept = request.headers.get("accept-language", "").lower()
    first = accept.split(",")[0].strip()
    return "en" if first.startswith("en") else "zh"


class Translator:
    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self._i = LANGS.index(lang)

    def __call__(self, key: str, **kw: object) -> str:
        pair = STRINGS.get(key)
        text = pair[self._i] if pair else key
        return text.format(**kw) if kw else text

    def status(self, status: str | None) -> str:
        return STATUS_LABELS[self.lang].get(str(status), str(status or "—"))

    def field(self, name: str) -> str:
        pair = PROFILE_FIELDS.get(name)
        return pair[self._i] if pair else name.replace("_", " ")

    def value(self, value: object) -> str:
        if isinstance(value, list):
            return ("、" if self.lang == "zh" else ", ").join(self.value(v) for v in value) or "—"
        pair = VALUES.get(str(value))
        return pair[self._i] if pair else str(value)

    def stage(self, stage: str | None) -> str:
        return self(f"stage_{stage}") if f"stage_{stage}" in STRINGS else (stage or "")

    def error(self, code: str | None) -> str:
        return self(f"err_{code}") if f"err_{code}" in STRINGS else ""

    def js(self) -> dict[str, str]:
        return {k: self(k) for k in (*JS_KEYS, *(f"err_{c}" for c in ERROR_CODES))}
