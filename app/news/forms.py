"""The editor's article form, with its messages in Chinese."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from app.news.services import STATUSES


class DateTimeLocal(DateTimeLocalField):
    """A datetime-local input that reports a bad value in Chinese."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("发布时间格式不正确，应为 年-月-日 时:分。") from error


def _keywords(value: str | None) -> str:
    words = [w for w in re.split(r"\s*[,，、;；]\s*", value or "") if w.strip()]
    return ",".join(dict.fromkeys(w.strip() for w in words))


def _strip(value: str | None) -> str:
    return (value or "").strip()


def _length(limit: int, label: str) -> Length:
    return Length(max=limit, message=f"{label}不能超过 {limit} 个字。")


class ArticleForm(FlaskForm):
    title = StringField(
        "标题",
        filters=[_strip],
        validators=[InputRequired("请填写标题。"), _length(200, "标题")],
    )
    category = SelectField("栏目", invalid_choice_message="请选择有效的栏目。")
    source = StringField("来源", filters=[_strip], validators=[_length(80, "来源")])
    published_at = DateTimeLocal(
        "发布时间", format="%Y-%m-%dT%H:%M", validators=[InputRequired("请填写发布时间。")]
    )
    summary = TextAreaField("导读", filters=[_strip], validators=[_length(500, "导读")])
    body = TextAreaField(
        "正文",
        filters=[_strip],
        description="可直接输入文字（空行分段），也可以粘贴 HTML；脚本和样式会被清除。",
        validators=[InputRequired("请填写正文。"), _length(100_000, "正文")],
    )
    editor = StringField("编辑", filters=[_strip], validators=[_length(40, "编辑")])
    original_title = StringField(
        "原标题", filters=[_strip], validators=[Optional(), _length(300, "原标题")]
    )
    keywords = StringField(
        "关键字",
        filters=[_keywords],
        description="用逗号分隔",
        validators=[_length(200, "关键字")],
    )
    status = SelectField(
        "状态",
        choices=[SelectChoice(value, label) for value, label in STATUSES.items()],
        invalid_choice_message="请选择有效的状态。",
    )
    preview = SubmitField("检测地点")
    save = SubmitField("保存")

    def __init__(self, *args, categories: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.category.choices = [SelectChoice(c, c) for c in categories]

    def article_fields(self) -> dict:
        """The values the service stores, by model attribute."""
        names = ("title", "category", "source", "published_at", "summary", "body", "editor")
        fields = {name: getattr(self, name).data for name in names}
        fields.update(
            original_title=self.original_title.data or "",
            keywords=self.keywords.data or "",
            status=self.status.data,
            # The form shows an imported date that needs checking (日期待核); saving confirms it.
            date_unverified=False,
        )
        return fields
