"""RSS 2.0, RSS 1.0 and Atom feeds: one article per ``<item>`` or ``<entry>``, numbered from 0.

Parsed as a stream with defusedxml: a feed that declares entities or references external
ones is refused (so no entity expansion, DTD fetch or network access), and each item is
cleared once read. The content is ``content:encoded`` or Atom ``content``, else ``description``
or ``summary``; HTML goes through the HTML text extraction (``html``), plain text is the text.
Title, link, guid/id, ``pubDate``/``dc:date``/``published``/``updated`` (RFC 822 or RFC 3339),
the first category, ``author``/``dc:creator``/Atom author names and the feed's language fill
the source.
"""
import re
import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse

from transforms.compression import READ_ERRORS, explain_read_error
from transforms.formats import DEAD_LETTER, SOURCE, MalformedInput, MissingText
from transforms.source import EmptyInput, InputError, dead_letter, source

ATOM, RSS1 = "{http://www.w3.org/2005/Atom}", "{http://purl.org/rss/1.0/}"
CONTENT, DC = "{http://purl.org/rss/1.0/modules/content/}encoded", "{http://purl.org/dc/elements/1.1/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ROOTS = {"rss", f"{ATOM}feed", f"{RDF}RDF"}
_ITEMS = {"item", f"{ATOM}entry", f"{RSS1}item"}
_LANGUAGES = {"language", f"{DC}language", f"{RSS1}language"}
_MARKUP = re.compile(r"<[A-Za-z!/]")
_EMAIL_NAME = re.compile(r"^\S+@\S+\s*\((.+)\)$")  # RSS author: "jane@example.com (Jane Doe)"


def _text(item, *tags) -> str | None:
    """The text of the first child among ``tags`` that has some."""
    for tag in tags:
        for child in item.findall(tag):
            text = "".join(child.itertext()).strip()
            if text:
                return text
    return None


def _link(item) -> str | None:
    for link in item.findall(f"{ATOM}link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href").strip()
    return _text(item, "link", f"{RSS1}link")


def _content(item) -> str | None:
    """The item's content as HTML or text: the full content first, else the summary."""
    for tag in (CONTENT, f"{ATOM}content", "description", f"{RSS1}description", f"{ATOM}summary", f"{DC}description"):
        node = item.find(tag)
        if node is None:
            continue
        if node.get("type") == "xhtml":  # Atom: the markup is inline, in a <div>
            value = "".join(ET.tostring(child, encoding="unicode") for child in node)
        else:
            value = "".join(node.itertext())
        if value.strip():
            return value.strip()
    return None


def _authors(item) -> list[str]:
    names = [_text(author, f"{ATOM}name") for author in item.findall(f"{ATOM}author")]
    names += [node.text.strip() for tag in ("author", f"{DC}creator") for node in item.findall(tag) if node.text and node.text.strip()]
    return [_EMAIL_NAME.sub(r"\1", name) for name in names if name]


def _item(item, uri: str, index: int, language: str | None) -> dict:
    content = _content(item)
    if content is None:
        raise MissingText("read", f"{uri} item {index}: no content:encoded, content, description or summary; "
                                  "the item holds no article text")
    category = item.find("category")
    atom_category = item.find(f"{ATOM}category")
    section = (category.text.strip() if category is not None and category.text else None) or (
        atom_category.get("label") or atom_category.get("term") if atom_category is not None else None)
    body = {"html": content} if _MARKUP.search(content) else {"text": content}
    return source(uri, "feed", source_position=index, title=_text(item, "title", f"{ATOM}title", f"{RSS1}title"),
                  url=_link(item), source_id=_text(item, "guid", f"{ATOM}id") or item.get(f"{RDF}about"),
                  date_raw=_text(item, "pubDate", f"{DC}date", f"{ATOM}published", f"{ATOM}updated"),
                  section_raw=section or _text(item, f"{DC}subject"), authors=_authors(item),
                  language=item.get(_XML_LANG) or language, **body)


def read_feed(fileobj, uri: str):
    """``(kind, payload)`` items (see ``transforms.formats``) for an RSS or Atom file object."""
    index, root, language = 0, None, None
    try:
        for event, node in iterparse(fileobj, events=("start", "end"), forbid_dtd=False):
            if root is None:
                root = node
                if node.tag not in _ROOTS:
                    raise MalformedInput("read", f"{uri}: XML whose root element is <{node.tag}>, not an RSS or Atom feed "
                                                 "(<rss>, <feed>, <rdf:RDF>); nothing in it was read as an article")
                language = node.get(_XML_LANG)
            elif event == "end" and node.tag in _LANGUAGES and node.text:
                language = language or node.text.strip()
            elif event == "end" and node.tag in _ITEMS:
                try:
                    yield SOURCE, _item(node, uri, index, language)
                except InputError as error:
                    yield DEAD_LETTER, dead_letter(source(uri, "feed", source_position=index), "read", error,
                                                   raw=ET.tostring(node, encoding="unicode"))
                index += 1
                node.clear()
    except (ParseError, DefusedXmlException) as error:
        reason = ("declares entities or external references, which are not read for safety"
                  if isinstance(error, DefusedXmlException) else f"is not well-formed XML ({error})")
        yield DEAD_LETTER, _rest(uri, index, MalformedInput("read", f"{uri}: {reason}; the rest of the feed is not read"))
        return
    except (*READ_ERRORS, InputError) as error:
        yield DEAD_LETTER, _rest(uri, index, explain_read_error(uri, error))
        return
    if index == 0:
        yield DEAD_LETTER, _rest(uri, None, EmptyInput("read", f"{uri}: the feed holds no <item> or <entry>; nothing to ingest"))


def _rest(uri: str, index: int | None, error: InputError) -> dict:
    """The dead letter for the unread rest of the feed from item ``index`` (the file when 0)."""
    return dead_letter(source(uri, "feed", source_position=index or None), "read", error, raw="", whole=False)
