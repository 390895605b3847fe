"""Turns the core's replies into WhatsApp Cloud API message bodies.

Pure functions, so the exact JSON sent to `/{phone-number-id}/messages` can be tested
without a server. Up to 3 choices become reply buttons, 4 to 10 a list message, more
than 10 a list paginated 9 rows at a time plus a "more" row whose id the channel
recognises (`MORE_PREFIX` + page number).
"""

from __future__ import annotations

from typing import Any

from bot.channels.telegram_render import split_text
from bot.domain.i18n import Translator
from bot.domain.messages import Choice, ChoicePrompt, Outbound, PhoneRequest

TEXT_LIMIT = 4096
BODY_LIMIT = 1024  # interactive message body
BUTTONS_MAX = 3
BUTTON_TITLE_LIMIT = 20
LIST_ROWS_MAX = 10
ROW_TITLE_LIMIT = 24
ROW_DESCRIPTION_LIMIT = 72
LIST_BUTTON_LIMIT = 20
PAGE_ROWS = 9  # a paginated list: 9 choices and the "more" row
MORE_PREFIX = "wa.more:"

Message = dict[str, Any]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def text_message(to: str, text: str) -> Message:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"preview_url": False, "body": text},
    }


def text_messages(to: str, text: str) -> list[Message]:
    return [text_message(to, piece) for piece in split_text(text, TEXT_LIMIT)]


def template_message(to: str, name: str, language_code: str, parameters: list[str]) -> Message:
    """A pre-approved template: the only kind allowed outside the 24-hour window.
    Parameters may not contain line breaks or long runs of spaces."""
    cleaned = [
        " · ".join(line.strip() for line in p.splitlines() if line.strip()) for p in parameters
    ]
    template: dict[str, Any] = {"name": name, "language": {"code": language_code}}
    if cleaned:
        template["components"] = [
            {
                "type": "body",
                "parameters": [{"type": "text", "text": _clip(p, 1000)} for p in cleaned],
            }
        ]
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": template,
    }


def _interactive(to: str, interactive: dict[str, Any]) -> Message:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "interactive",
        "interactive": interactive,
    }


def _buttons(to: str, body: str, choices: tuple[Choice, ...]) -> Message:
    return _interactive(
        to,
        {
            "type": "button",
            "body": {"text": body},
            "action": {
                "buttons": [
                    {
                        "type": "reply",
                        "reply": {
                            "id": choice.id,
                            "title": _clip(choice.label, BUTTON_TITLE_LIMIT),
                        },
                    }
                    for choice in choices
                ]
            },
        },
    )


def _row(choice: Choice) -> dict[str, str]:
    row = {"id": choice.id, "title": _clip(choice.label, ROW_TITLE_LIMIT)}
    if len(choice.label) > ROW_TITLE_LIMIT:
        row["description"] = _clip(choice.label, ROW_DESCRIPTION_LIMIT)
    return row


def _list(to: str, body: str, rows: list[dict[str, str]], t: Translator) -> Message:
    return _interactive(
        to,
        {
            "type": "list",
            "body": {"text": body},
            "action": {
                "button": _clip(t("choice.open_list"), LIST_BUTTON_LIMIT),
                "sections": [{"rows": rows}],
            },
        },
    )


def page_count(choices: tuple[Choice, ...]) -> int:
    if len(choices) <= LIST_ROWS_MAX:
        return 1
    return -(-len(choices) // PAGE_ROWS)


def render_choices(
    to: str, text: str, choices: tuple[Choice, ...], t: Translator, page: int = 0
) -> list[Message]:
    """The messages for a question with choices; `page` > 0 is a later page of a long
    list (its body names the page instead of repeating the question)."""
    pages = page_count(choices)
    page = max(0, min(page, pages - 1))
    if page > 0:
        text = t("choice.page", page=page + 1, pages=pages)
    lead: list[Message] = []
    body = text
    if len(text) > BODY_LIMIT:
        lead = text_messages(to, text)
        body = t("choice.pick_one")
    if len(choices) <= BUTTONS_MAX:
        return [*lead, _buttons(to, body, choices)]
    if pages == 1:
        return [*lead, _list(to, body, [_row(choice) for choice in choices], t)]
    rows = [_row(choice) for choice in choices[page * PAGE_ROWS : (page + 1) * PAGE_ROWS]]
    if page + 1 < pages:
        rows.append(
            {"id": f"{MORE_PREFIX}{page + 1}", "title": _clip(t("choice.more"), ROW_TITLE_LIMIT)}
        )
    return [*lead, _list(to, body, rows, t)]


def render(to: str, reply: Outbound, t: Translator) -> list[Message]:
    """The message bodies for one reply. WhatsApp has no share-contact button, so a
    phone request offers the number WhatsApp gave us ("use this number") as a button."""
    if isinstance(reply, ChoicePrompt | PhoneRequest) and reply.choices:
        return render_choices(to, reply.text, reply.choices, t)
    return text_messages(to, reply.text)
