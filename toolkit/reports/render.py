"""The one Jinja environment: user templates first, built-ins after and as ``default:NAME``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from toolkit.audit.result import LogSource
from toolkit.content import content_dir
from toolkit.errors import ReportError
from toolkit.reports.context import ReportContext

LOGO_NAMES = ("logo.svg", "logo.png", "logo.jpg")
STATUS_LABELS = {
    "holds": "Holds",
    "fails": "Fails",
    "manual": "Manual",
    "not_evaluated": "Not evaluated",
}


def builtin_templates() -> Path:
    """The folder of the shipped report templates."""
    return content_dir("report_templates")


def user_logo(templates: str | Path | None) -> str | None:
    """A file URL to the logo in the user's template folder, if there is one."""
    if templates is None:
        return None
    for name in LOGO_NAMES:
        path = Path(templates) / name
        if path.is_file():
            return path.resolve().as_uri()
    return None


def when(value: str | None, with_time: bool = True) -> str:
    """'1 Oct 2026 00:00 UTC' (or just the date) from an ISO 8601 UTC string; '-' for None."""
    if not value:
        return "-"
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    text = f"{parsed.day} {parsed:%b %Y}"
    return f"{text} {parsed:%H:%M} UTC" if with_time else text


def number(value: Any) -> str:
    """Thousands separated with thin spaces: 20 000."""
    return f"{value:,}".replace(",", "\u202f") if isinstance(value, int) else str(value)


EVIDENCE_ITEMS = 5
"""List items shown per evidence value; the attached result.json has them all."""


def evidence_text(value: Any) -> str:
    """An evidence value as short text: dates readable, long lists cut, nested hits by message."""
    if isinstance(value, dict):
        if "message" in value:
            return str(value["message"])
        return "; ".join(
            f"{k.replace('_', ' ')}: {evidence_text(v)}" for k, v in sorted(value.items())
        )
    if isinstance(value, list):
        text = " | ".join(evidence_text(v) for v in value[:EVIDENCE_ITEMS]) or "-"
        more = len(value) - EVIDENCE_ITEMS
        return f"{text} (+{more} more)" if more > 0 else text
    if isinstance(value, str) and len(value) == 20 and value.endswith("Z") and value[10] == "T":
        return when(value)
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    return number(value) if isinstance(value, int) and not isinstance(value, bool) else str(value)


def evidence_line(evidence: dict[str, Any] | None) -> str:
    """Evidence as one line: ``age days: 120 · limit days: 90``."""
    items = sorted((evidence or {}).items())
    return " · ".join(f"{name.replace('_', ' ')}: {evidence_text(value)}" for name, value in items)


def source_label(source: LogSource) -> str:
    """A log source as short text: ``file (format, N events)``."""
    name = Path(source.path).name or "?"
    details = [source.format] if source.format else []
    details.append(f"{number(source.events)} events")
    return f"{name} ({', '.join(details)})"


CLIP_CHARS = 100
"""Characters of a name, owner or id shown in a report before it is visibly cut."""


def clip(value: Any, limit: int = CLIP_CHARS) -> str:
    """Text cut to ``limit`` characters, with a visible mark saying how much was left out."""
    text = "" if value is None else str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [+{len(text) - limit} characters]"


def inline_code(value: Any) -> Markup:
    """Text with `backticked` parts as unbroken <code> spans (escaped; a stray backtick dropped)."""
    parts = ("" if value is None else str(value)).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: the last one opens nothing
        parts[-2:] = [parts[-2] + parts[-1]]
    return Markup("").join(
        Markup('<code class="cmd">{}</code>').format(part) if index % 2 else escape(part)
        for index, part in enumerate(parts)
    )


def make_environment(
    templates: str | Path | None = None, *, strict: bool = False
) -> jinja2.Environment:
    """The Jinja environment; ``templates`` is a user folder tried before the built-ins."""
    builtin = jinja2.FileSystemLoader(str(builtin_templates()))
    loaders: list[jinja2.BaseLoader] = []
    if templates is not None:
        if not Path(templates).is_dir():
            raise ReportError(f"{templates}: --templates: not a folder")
        loaders.append(jinja2.FileSystemLoader(str(templates)))
    loaders += [builtin, jinja2.PrefixLoader({"default": builtin}, delimiter=":")]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined if strict else jinja2.ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        when=when,
        number=number,
        evidence=evidence_text,
        evidence_line=evidence_line,
        source=source_label,
        short=lambda v, n=12: (v or "")[:n],
        clip=clip,
        code=inline_code,
    )
    env.globals["status_label"] = lambda status: STATUS_LABELS.get(status, status)
    return env


def render_html(
    context: ReportContext, env: jinja2.Environment, template: str = "audit.html"
) -> str:
    """The report as one HTML page (CSS inlined)."""
    try:
        page = env.get_template(template)
    except jinja2.TemplateNotFound as exc:
        raise ReportError(f"{exc.name}: template not found") from exc
    values = {name: getattr(context, name) for name in context.__dataclass_fields__}
    try:
        return page.render(**values)
    except jinja2.UndefinedError as exc:
        raise ReportError(f"{template}: {exc.message}") from exc
