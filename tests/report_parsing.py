"""Reading the report back, strictly: the tests' own parsers of its HTML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

SVG = "{http://www.w3.org/2000/svg}"
VOID = {"meta", "br", "img", "hr", "input", "link"}


class StrictHTML(HTMLParser):
    """Fails on a closing tag that does not match its opening one, and on an
    unclosed element; collects the text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open = []
        self.text = []
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, "</{0}> closes <{1}>".format(tag, self.open[-1] if self.open else None)
        self.open.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse_html(text):
    parser = StrictHTML()
    parser.feed(text)
    parser.close()
    assert not parser.open, "unclosed: {0}".format(parser.open)
    return parser


def parse_xml(text):
    """The page as XML: it must be well-formed after its doctype."""
    assert text.startswith("<!DOCTYPE html>\n")
    return ET.fromstring(text[len("<!DOCTYPE html>\n"):])


def figures(root):
    """data-figure key to the number its cell shows, for every table."""
    found = {}
    for cell in root.iter("td"):
        key = cell.get("data-figure")
        if key is not None:
            assert key not in found or found[key] == int(cell.text), key
            found[key] = int(cell.text)
    return found


def rows(root, table_class):
    """The text of each body row of the table(s) of that class."""
    return [[(cell.text or "") for cell in row.iter("td")]
            for table in root.iter("table") if table.get("class") == table_class
            for row in table.find("tbody").iter("tr")]
