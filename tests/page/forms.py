"""What a browser would send for a page's form: its inputs' names and values as shown (checked boxes only,
each select's chosen option), without its submit buttons."""

from __future__ import annotations

from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.select: str | None = None
        self.fields: dict[str, str] = {}
        self.first_option: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.inside = attr.get("action") == self.action
        elif not self.inside:
            return
        elif tag == "input" and "name" in attr:
            kind = attr.get("type", "text")
            if kind == "checkbox":
                if "checked" in attr:
                    self.fields[attr["name"]] = attr.get("value") or "on"
            elif kind != "submit":
                self.fields[attr["name"]] = attr.get("value", "")
        elif tag == "select":
            self.select = attr["name"]
        elif tag == "option" and self.select is not None:
            self.first_option.setdefault(self.select, attr["value"])
            if "selected" in attr:
                self.fields[self.select] = attr["value"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            self.fields.setdefault(self.select, self.first_option.get(self.select, ""))
            self.select = None


def form_fields(html: str, action: str) -> dict[str, str]:
    """The fields the form posting to `action` sends as the page shows it."""
    parser = _Form(action)
    parser.feed(html)
    return parser.fields
