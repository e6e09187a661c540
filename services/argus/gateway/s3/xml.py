"""S3 REST XML: the documents the endpoint answers with, and the request bodies it reads."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

from argus.gateway.s3.errors import MalformedXML, S3Error

XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/"
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

_MALFORMED = "The XML you provided was not well-formed or did not validate against our published schema"

Node = tuple[str, "str | int | bool | list[Node] | None"]


def iso8601(moment: datetime) -> str:
    """Timestamps inside S3 XML: ``2009-10-12T17:50:30.000Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def http_date(moment: datetime) -> str:
    """``Last-Modified`` header value (RFC 7231)."""
    return format_datetime(moment, usegmt=True)


def _render(node: Node, parent: ElementTree.Element) -> None:
    name, value = node
    element = ElementTree.SubElement(parent, name)
    if isinstance(value, list):
        for child in value:
            _render(child, element)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def document(root: str, children: list[Node], *, namespace: bool = True) -> bytes:
    element = ElementTree.Element(root, {"xmlns": XMLNS} if namespace else {})
    for child in children:
        _render(child, element)
    return DECLARATION.encode() + bytes(ElementTree.tostring(element, encoding="utf-8"))


def error_document(error: S3Error, resource: str, request_id: str) -> bytes:
    children: list[Node] = [("Code", error.code), ("Message", error.message)]
    children += [(name, value) for name, value in error.fields.items()]
    children += [("Resource", resource), ("RequestId", request_id)]
    return document("Error", children, namespace=False)


@dataclass(frozen=True)
class CompletedPart:
    number: int
    etag: str  # without quotes


def _parse(body: bytes) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(body)
    except ElementTree.ParseError:
        raise MalformedXML(_MALFORMED) from None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def completed_parts(body: bytes) -> list[CompletedPart]:
    """The parts of a ``CompleteMultipartUpload`` document, in the order given."""
    root = _parse(body)
    if _local(root.tag) != "CompleteMultipartUpload":
        raise MalformedXML(_MALFORMED)
    parts: list[CompletedPart] = []
    for element in root:
        if _local(element.tag) != "Part":
            continue
        fields = {_local(child.tag): (child.text or "").strip() for child in element}
        try:
            number = int(fields["PartNumber"])
            etag = fields["ETag"].strip('"')
        except (KeyError, ValueError):
            raise MalformedXML("Each Part needs a PartNumber and an ETag") from None
        parts.append(CompletedPart(number, etag))
    if not parts:
        raise MalformedXML(_MALFORMED)
    return parts


def deleted_keys(body: bytes) -> tuple[list[str], bool]:
    """The keys of a ``Delete`` (DeleteObjects) document, and whether ``Quiet`` was asked."""
    root = _parse(body)
    if _local(root.tag) != "Delete":
        raise MalformedXML(_MALFORMED)
    keys: list[str] = []
    quiet = False
    for element in root:
        name = _local(element.tag)
        if name == "Quiet":
            quiet = (element.text or "").strip().lower() == "true"
        elif name == "Object":
            for child in element:
                if _local(child.tag) == "Key":
                    keys.append(child.text or "")
    return keys, quiet
