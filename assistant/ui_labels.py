"""The web app's interface labels in English and Chinese.

Gradio translates them in the browser, following its language (``navigator.language``): a
browser set to Chinese shows the Chinese labels, any other the English ones. Only the fixed
interface text is here (tabs, buttons, field labels, placeholders); answers and documents are
shown in the language they are written in.
"""

from __future__ import annotations

import gradio as gr

# key: (English, Chinese)
LABELS: dict[str, tuple[str, str]] = {
    "header": (
        "# Shanghai Digital Trade Policy Assistant\n"
        "Answers from Shanghai's *Implementation Plan on Promoting the High-Quality Development of Digital Trade "
        "and Trade in Services* — every statement cites its task, and every citation is checked against the "
        "task's text.",
        "# 上海数字贸易政策助手\n"
        "依据上海市推进数字贸易和服务贸易高质量发展的实施方案作答——每句话都注明所依据的任务，"
        "每条引用都与任务原文核对。",
    ),
    "tab_ask": ("Ask", "提问"),
    "tab_applies": ("Which policies apply to me?", "哪些政策适用于我？"),
    "tab_search": ("Wording search", "原文检索"),
    "tab_tasks": ("Task browser", "任务浏览"),
    "tab_documents": ("Documents", "文件"),
    "question_placeholder": ("Ask a question about the plan…", "请输入关于《实施方案》的问题…"),
    "ask": ("Ask", "提问"),
    "stop": ("Stop", "停止"),
    "new_chat": ("New conversation", "新对话"),
    "past": ("Earlier conversations (kept in this browser)", "以前的对话（保存在本浏览器中）"),
    "source": ("Source", "原文"),
    "describe": ("Describe your enterprise", "介绍您的企业"),
    "describe_placeholder": (
        "What you do, for whom, where. E.g. 'We lease aircraft to airlines and trade used engines.'",
        "做什么、为谁做、在哪里。例如：“我们向航空公司租赁飞机并交易二手发动机。”",
    ),
    "activities": ("Industry and main activities (optional)", "行业和主要业务（选填）"),
    "activities_placeholder": ("e.g. aircraft leasing, aviation maintenance", "例如：飞机租赁、航空维修"),
    "location": ("Location", "所在地"),
    "size": ("Size", "规模"),
    "ownership": ("Ownership", "所有制"),
    "find": ("Find the policies that apply", "查找适用的政策"),
    "profile_examples": ("Example enterprises (click to fill the form)", "企业示例（点击填入表单）"),
    "download_md": ("Download markdown", "下载 Markdown"),
    "download_csv": ("Download CSV", "下载 CSV"),
    "copy_md": ("Copy as markdown", "复制为 Markdown"),
    "search_placeholder": (
        'Words to find, or a "quoted phrase" for the exact wording',
        "要查找的词语，或用引号括起的原文短语",
    ),
    "search": ("Search", "检索"),
    "section": ("Section", "部分"),
    "unit": ("Responsible unit", "责任单位"),
    "area": ("Area", "区域"),
    "results": ("Results", "结果数"),
    "exact": ("Exact phrase", "精确短语"),
    "exact_info": ('or put the phrase in "quotes"', "或将短语放在引号中"),
    "matrix": ("Who is responsible for what: units by tasks", "责任分工：单位 × 任务"),
    "indexed_documents": ("Indexed documents", "已收录的文件"),
    "remove_choice": ("Remove an uploaded document", "移除上传的文件"),
    "remove_info": (
        "Only uploaded documents can be removed here; the documents installed with the assistant are managed by "
        "its administrator.",
        "此处只能移除上传的文件；随助手安装的文件由管理员管理。",
    ),
    "remove": ("Remove from index", "从索引中移除"),
}

I18N = gr.I18n(
    en={key: en for key, (en, _) in LABELS.items()},
    zh={key: zh for key, (_, zh) in LABELS.items()},
    **{"zh-CN": {key: zh for key, (_, zh) in LABELS.items()}},
)


def t(key: str) -> gr.i18n.I18nData:
    """The label ``key``, translated in the browser (a KeyError here is a typo in the app)."""
    if key not in LABELS:
        raise KeyError(key)
    return I18N(key)
