"""Validate AWS JSON 1.1 request parameters against the Rekognition model shipped in botocore.

:func:`validate_input` does what AWS's Coral framework does before an operation runs:

1. *Deserialise* the body against the operation's input shape. A JSON value of the wrong
   type (a string where an integer belongs, ``true`` where a number belongs, an object
   where a list belongs, bad base64 in a blob) is a :class:`SerializationException` that
   names the member; the first one found stops the request.
2. *Validate* the constraints of the model (required members, length, range, pattern,
   enum), collecting every violation into one :class:`ValidationException` written the
   way AWS writes it::

       2 validation errors detected: Value '5000' at 'maxResults' failed to satisfy
       constraint: Member must have value less than or equal to 4096; Value null at
       'collectionId' failed to satisfy constraint: Member must not be null

Member paths are lower-camel-case and dotted; list elements are ``name.<1-based>.member``.
As in Coral, constraints on the *elements* of a list (or on the keys/values of a map) are
reported once, at the collection, with the collection's value and all the element
constraints: ``Value '[BOGUS]' at 'attributes' failed to satisfy constraint: Member must
satisfy constraint: [Member must satisfy enum value set: [...]]``. Values are printed as
Java prints them (``-1.0`` for a float, ``[a, b]`` for a list, ``{k=v}`` for a map,
``java.nio.HeapByteBuffer[...]`` for a blob); members the model marks sensitive are
printed without their value (``Value at 'x'``). Enum value sets are listed in the
iteration order of a Java ``HashSet``, which is the order AWS's messages show.

The returned parameters hold only the members the model knows, without ``null`` members,
with blobs decoded to :class:`bytes` and timestamps (epoch seconds) as aware datetimes.
"""

from __future__ import annotations

import base64
import binascii
import functools
import math
import re
import unicodedata
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Final

import botocore.session
from botocore.model import ListShape, MapShape, OperationModel, ServiceModel, Shape, StructureShape

from argus.core.errors import AwsError, ImageTooLargeException, SerializationException, ValidationException

SERVICE_NAME: Final = "rekognition"

# Inputs only ever nest as deep as the model's shapes do (unknown members are not walked),
# so this is a guard against a recursive shape rather than against hostile JSON.
MAX_DEPTH: Final = 32

# Strings longer than this are not matched against the model's pattern (their length
# violation, if the model caps them, is still reported): a guard against regex blow-ups.
PATTERN_CHECK_MAX_CHARS: Final = 65536

_INT32: Final = (-(2**31), 2**31 - 1)
_INT64: Final = (-(2**63), 2**63 - 1)


@functools.cache
def service_model() -> ServiceModel:
    """The Rekognition service model bundled with botocore, loaded once per process."""
    return botocore.session.get_session().get_service_model(SERVICE_NAME)


# --------------------------------------------------------------------------------------
# Image.Bytes size rule (the one place Argus departs from the bundled model).
#
# The Rekognition API documents a 5 MB limit for images passed as bytes, and an image over
# it is an ImageTooLargeException rather than a ValidationException. Whatever max the
# bundled model declares for ImageBlob is therefore not applied to Image.Bytes. The limit
# below applies instead, checked on the length of the base64 text *before* decoding it, so
# a huge body is never decoded.
# --------------------------------------------------------------------------------------
IMAGE_BYTES_LIMIT: Final = 5 * 1024 * 1024


def image_bytes_limit(parent: Shape, member_name: str) -> int | None:
    """The decoded-size limit for ``Image.Bytes``; ``None`` for every other member."""
    return IMAGE_BYTES_LIMIT if parent.name == "Image" and member_name == "Bytes" else None


def _check_image_size(encoded: str) -> None:
    if _decoded_size_upper_bound(encoded) > IMAGE_BYTES_LIMIT:
        raise ImageTooLargeException(
            f"The input image size exceeds the allowed limit of {IMAGE_BYTES_LIMIT} bytes."
        )


def _decoded_size_upper_bound(encoded: str) -> int:
    """Bytes that base64 text decodes to (exact for unwrapped text, else an upper bound)."""
    padding = 2 if encoded.endswith("==") else 1 if encoded.endswith("=") else 0
    return len(encoded) * 3 // 4 - padding


# --------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------
def validate_input(operation: OperationModel, params: object) -> dict[str, Any]:
    """Check ``params`` (the decoded JSON body) against ``operation``'s input shape.

    Returns the parameters with blobs decoded to bytes. Raises SerializationException for a
    JSON value of the wrong type, ImageTooLargeException for an Image.Bytes over 5 MB, and
    one ValidationException listing every constraint violation.
    """
    if not isinstance(params, dict):
        raise SerializationException(f"The request body must be a JSON object, not {_json_type(params)}")
    shape = operation.input_shape
    if shape is None:
        return {}
    walker = _Walker()
    result = walker.structure(shape, params, "", 0)
    if walker.errors:
        count = len(walker.errors)
        noun = "error" if count == 1 else "errors"
        raise ValidationException(f"{count} validation {noun} detected: " + "; ".join(walker.errors))
    return result


class _Walker:
    """One pass over a request: converts values, and collects constraint violations."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    # -- structure members ---------------------------------------------------------------
    def structure(self, shape: StructureShape, value: Any, path: str, depth: int) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise _type_error(value, path, "structure")
        required = shape.required_members
        result: dict[str, Any] = {}
        for name, member in shape.members.items():
            child_path = f"{path}.{_camel(name)}" if path else _camel(name)
            item = value.get(name)
            if item is None:
                if name in required:
                    self.errors.append(_violation(member, None, child_path, "Member must not be null"))
                continue
            limit = image_bytes_limit(shape, name)
            mark = len(self.errors)
            parsed = self.parse(member, item, child_path, depth + 1, limit)
            own = [
                _violation(member, parsed, child_path, message)
                for message in _violations(member, parsed, skip_max=limit is not None)
            ]
            # A member's own violations come before those found inside it.
            self.errors[mark:mark] = own
            result[name] = parsed
        return result

    # -- any value -------------------------------------------------------------------------
    def parse(self, shape: Shape, value: Any, path: str, depth: int, image_limit: int | None = None) -> Any:
        """Convert one non-null JSON value; report violations found *inside* it."""
        if depth > MAX_DEPTH:
            raise SerializationException(f"The value at '{path}' is nested too deeply")
        kind = shape.type_name
        if kind == "structure":
            if shape.metadata.get("document"):
                return value
            assert isinstance(shape, StructureShape)
            return self.structure(shape, value, path, depth)
        if kind == "list":
            assert isinstance(shape, ListShape)
            return self.list(shape, value, path, depth)
        if kind == "map":
            assert isinstance(shape, MapShape)
            return self.map(shape, value, path, depth)
        if kind == "string":
            if not isinstance(value, str):
                raise _type_error(value, path, "string")
            return value
        if kind in ("integer", "long"):
            low, high = _INT32 if kind == "integer" else _INT64
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise _type_error(value, path, kind)
            return value
        if kind in ("float", "double"):
            return _number(value, path, kind)
        if kind == "boolean":
            if not isinstance(value, bool):
                raise _type_error(value, path, "boolean")
            return value
        if kind == "blob":
            if not isinstance(value, str):
                raise _type_error(value, path, "base64-encoded blob")
            if image_limit is not None:
                _check_image_size(value)
            return _decode_base64(value, path)
        if kind == "timestamp":
            seconds = _number(value, path, "timestamp")
            try:
                return datetime.fromtimestamp(seconds, UTC)
            except (OverflowError, OSError, ValueError):
                raise _type_error(value, path, "timestamp") from None
        return value

    # -- collections -------------------------------------------------------------------------
    def list(self, shape: ListShape, value: Any, path: str, depth: int) -> list[Any]:
        if not isinstance(value, list):
            raise _type_error(value, path, "list")
        element = shape.member
        result: list[Any] = []
        element_failed = False
        for index, item in enumerate(value, start=1):
            item_path = f"{path}.{index}.member"
            if item is None:
                self.errors.append(_violation(element, None, item_path, "Member must not be null"))
                continue
            parsed = self.parse(element, item, item_path, depth + 1)
            if not element_failed and _violations(element, parsed):
                element_failed = True
            result.append(parsed)
        if element_failed:
            message = f"Member must satisfy constraint: {_all_constraints(element)}"
            self.errors.append(_violation(shape, result, path, message))
        return result

    def map(self, shape: MapShape, value: Any, path: str, depth: int) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise _type_error(value, path, "map")
        result: dict[str, Any] = {}
        key_failed = value_failed = False
        for key, item in value.items():
            item_path = f"{path}.{key}"
            key_failed = key_failed or bool(_violations(shape.key, key))
            if item is None:
                self.errors.append(_violation(shape.value, None, item_path, "Member must not be null"))
                continue
            parsed = self.parse(shape.value, item, item_path, depth + 1)
            value_failed = value_failed or bool(_violations(shape.value, parsed))
            result[key] = parsed
        if key_failed:
            message = f"Map keys must satisfy constraint: {_all_constraints(shape.key)}"
            self.errors.append(_violation(shape, result, path, message))
        if value_failed:
            message = f"Map value must satisfy constraint: {_all_constraints(shape.value)}"
            self.errors.append(_violation(shape, result, path, message))
        return result


# --------------------------------------------------------------------------------------
# Conversions
# --------------------------------------------------------------------------------------
def _number(value: Any, path: str, kind: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _type_error(value, path, kind)
    try:
        number = float(value)
    except OverflowError:
        raise _type_error(value, path, kind) from None
    if not math.isfinite(number):
        raise _type_error(value, path, kind)
    return number


def _decode_base64(text: str, path: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error:
        pass
    # Like Jackson (AWS's JSON parser), allow whitespace, e.g. base64 wrapped at 76 columns.
    stripped = "".join(text.split())
    if stripped != text:
        try:
            return base64.b64decode(stripped, validate=True)
        except binascii.Error:
            pass
    raise SerializationException(f"Value at '{path}' could not be parsed as a base64-encoded blob")


def _type_error(value: Any, path: str, expected: str) -> AwsError:
    where = f"at '{path}'" if path else "at the top level"
    if isinstance(value, dict | list):
        kind = _json_type(value)
        return SerializationException(f"Value of type {kind} {where} could not be parsed as {expected}")
    text = _json_scalar(value)
    if len(text) > 64:
        text = text[:64] + "..."
    return SerializationException(f"Value '{text}' {where} could not be parsed as {expected}")


def _json_type(value: object) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "null" if value is None else type(value).__name__


def _json_scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


# --------------------------------------------------------------------------------------
# Constraints
# --------------------------------------------------------------------------------------
def _violation(shape: Shape, value: Any, path: str, message: str) -> str:
    if value is None:
        shown = "Value null"
    elif shape.metadata.get("sensitive"):
        shown = "Value"
    else:
        shown = f"Value '{_java_str(value)}'"
    return f"{shown} at '{path}' failed to satisfy constraint: {message}"


def _size(shape: Shape, value: Any) -> int | None:
    """What the model's min/max bound: a length, or ``None`` for numbers."""
    if shape.type_name in ("string", "blob", "list", "map"):
        return len(value)
    return None


def _violations(shape: Shape, value: Any, *, skip_max: bool = False) -> list[str]:
    """Messages for the constraints of ``shape`` that the (converted) ``value`` breaks."""
    metadata = shape.metadata
    found: list[str] = []
    low, high = metadata.get("min"), metadata.get("max")
    if skip_max:
        high = None
    if low is not None or high is not None:
        size = _size(shape, value)
        if size is not None:
            if low is not None and size < low:
                found.append(f"Member must have length greater than or equal to {_java_number(low)}")
            if high is not None and size > high:
                found.append(f"Member must have length less than or equal to {_java_number(high)}")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            if low is not None and value < low:
                found.append(f"Member must have value greater than or equal to {_java_number(low)}")
            if high is not None and value > high:
                found.append(f"Member must have value less than or equal to {_java_number(high)}")
    if shape.type_name == "string" and isinstance(value, str):
        pattern = metadata.get("pattern")
        if pattern is not None and len(value) <= PATTERN_CHECK_MAX_CHARS:
            compiled = compile_java_pattern(pattern)
            if compiled is not None and compiled.fullmatch(value) is None:
                found.append(f"Member must satisfy regular expression pattern: {pattern}")
        enum = metadata.get("enum")
        if enum and value not in enum:
            found.append(f"Member must satisfy enum value set: {_enum_set(tuple(enum))}")
    return found


def _all_constraints(shape: Shape) -> str:
    """Every constraint of an element shape, as Coral lists them in ``Member must satisfy constraint``."""
    metadata = shape.metadata
    parts: list[str] = []
    is_size = shape.type_name in ("string", "blob", "list", "map")
    noun = "length" if is_size else "value"
    if metadata.get("max") is not None:
        parts.append(f"Member must have {noun} less than or equal to {_java_number(metadata['max'])}")
    if metadata.get("min") is not None:
        parts.append(f"Member must have {noun} greater than or equal to {_java_number(metadata['min'])}")
    if metadata.get("pattern") is not None:
        parts.append(f"Member must satisfy regular expression pattern: {metadata['pattern']}")
    if metadata.get("enum"):
        parts.append(f"Member must satisfy enum value set: {_enum_set(tuple(metadata['enum']))}")
    return "[" + ", ".join(parts) + "]"


# --------------------------------------------------------------------------------------
# Java-style printing
# --------------------------------------------------------------------------------------
def _java_str(value: Any) -> str:
    """``String.valueOf`` of the value Coral would hold for ``value``."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _java_double(value)
    if isinstance(value, bytes):
        return f"java.nio.HeapByteBuffer[pos=0 lim={len(value)} cap={len(value)}]"
    if isinstance(value, list):
        return "[" + ", ".join(_java_str(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_java_str(k)}={_java_str(v)}" for k, v in value.items()) + "}"
    if value is None:
        return "null"
    return str(value)


def _java_number(value: Any) -> str:
    return _java_double(value) if isinstance(value, float) else str(value)


def _java_double(value: float) -> str:
    """``Double.toString``: ``-1.0``, ``0.5``, ``1.0E7``, ``1.0E-4``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    magnitude = abs(value)
    if 1e-3 <= magnitude < 1e7:
        text = repr(value)
        return text if "." in text else text + ".0"
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    assert isinstance(exponent, int)
    mantissa = "".join(map(str, digits)).rstrip("0") or "0"
    scientific = exponent + len(digits) - 1
    return f"{'-' if sign else ''}{mantissa[0]}.{mantissa[1:] or '0'}E{scientific}"


def _java_string_hash(text: str) -> int:
    """``String.hashCode`` (over UTF-16 code units)."""
    data = text.encode("utf-16-be", "surrogatepass")
    result = 0
    for index in range(0, len(data), 2):
        result = (31 * result + ((data[index] << 8) | data[index + 1])) & 0xFFFFFFFF
    return result


@functools.cache
def _enum_set(values: tuple[str, ...]) -> str:
    """``[A, B]`` in the iteration order of a Java ``HashSet`` filled with ``values``."""
    unique = list(dict.fromkeys(values))
    capacity = 16
    while len(unique) > capacity * 3 // 4:
        capacity *= 2
    buckets: dict[int, list[str]] = {}
    for item in unique:
        hashed = _java_string_hash(item)
        buckets.setdefault((hashed ^ (hashed >> 16)) & (capacity - 1), []).append(item)
    return "[" + ", ".join(item for index in sorted(buckets) for item in buckets[index]) + "]"


# --------------------------------------------------------------------------------------
# Java regular expressions in Python
# --------------------------------------------------------------------------------------
# Java's ``.`` excludes every line terminator, not only ``\n``.
_JAVA_DOT: Final = "[^\\n\\r\\u0085\\u2028\\u2029]"
_HORIZONTAL_SPACE: Final = " \\t\\xa0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000"
_POSIX_CLASSES: Final = {
    "Lower": "a-z",
    "Upper": "A-Z",
    "ASCII": "\\x00-\\x7f",
    "Alpha": "a-zA-Z",
    "Digit": "0-9",
    "Alnum": "a-zA-Z0-9",
    "Punct": "!-/:-@\\[-`{-~",
    "Graph": "!-~",
    "Print": " -~",
    "Blank": " \\t",
    "Cntrl": "\\x00-\\x1f\\x7f",
    "XDigit": "0-9a-fA-F",
    "Space": " \\t\\n\\x0b\\f\\r",
}
_DOTALL_FLAG: Final = re.compile(r"\(\?[a-zA-Z]*s")


@functools.cache
def compile_java_pattern(pattern: str) -> re.Pattern[str] | None:
    """Compile a model (Java) regex for ``fullmatch``; ``None`` when Python cannot express it.

    Handles ``\\p{..}``/``\\P{..}`` (Unicode general categories and POSIX classes), ``\\Q..\\E``,
    ``\\z``/``\\Z``, ``\\h``, ``\\x{..}``, ``(?<name>..)``, Java's ``.``, and ASCII-only
    ``\\d``/``\\w``/``\\s``/``\\b`` (Java's default; Python's are Unicode-aware unless ASCII).
    """
    translated = _translate_java_regex(pattern)
    if translated is None:
        return None
    with warnings.catch_warnings():
        # Python warns about constructs that mean something else in Java ("[a[b]]", "&&").
        warnings.simplefilter("error")
        try:
            return re.compile(translated, re.ASCII)
        except (re.error, Warning, OverflowError, RecursionError):
            return None


def _translate_java_regex(pattern: str) -> str | None:
    out: list[str] = []
    in_class = False
    translate_dot = _DOTALL_FLAG.search(pattern) is None
    index, length = 0, len(pattern)
    while index < length:
        char = pattern[index]
        if char == "\\":
            if index + 1 >= length:
                return None
            escape = pattern[index + 1]
            index += 2
            if escape in "pP":
                if pattern.startswith("{", index):
                    end = pattern.find("}", index)
                    if end < 0:
                        return None
                    name, index = pattern[index + 1 : end], end + 1
                elif index < length:
                    name, index = pattern[index], index + 1
                else:
                    return None
                content = _property_class(name)
                if content is None:
                    return None
                if in_class:
                    if escape == "P":
                        return None
                    out.append(content)
                else:
                    out.append(f"[{'^' if escape == 'P' else ''}{content}]")
            elif escape == "Q":
                end = pattern.find("\\E", index)
                literal = pattern[index:] if end < 0 else pattern[index:end]
                index = length if end < 0 else end + 2
                out.append(re.escape(literal))
            elif escape == "z":
                out.append("\\Z")
            elif escape == "Z":
                out.append("(?=(?:\\r\\n|[\\n\\r\\u0085\\u2028\\u2029])?\\Z)")
            elif escape == "h":
                out.append(_HORIZONTAL_SPACE if in_class else f"[{_HORIZONTAL_SPACE}]")
            elif escape == "x" and pattern.startswith("{", index):
                end = pattern.find("}", index)
                if end < 0:
                    return None
                try:
                    code = int(pattern[index + 1 : end], 16)
                except ValueError:
                    return None
                out.append(f"\\U{code:08x}")
                index = end + 1
            elif escape == "k" and pattern.startswith("<", index):
                end = pattern.find(">", index)
                if end < 0:
                    return None
                out.append(f"(?P={pattern[index + 1 : end]})")
                index = end + 1
            else:
                out.append("\\" + escape)
            continue
        if in_class:
            if char == "[" or pattern.startswith("&&", index):
                return None  # Java class union / intersection
            if char == "]":
                in_class = False
            out.append(char)
            index += 1
            continue
        if char == "[":
            in_class = True
            out.append("[")
            index += 1
            if pattern.startswith("^", index):
                out.append("^")
                index += 1
            continue
        if char == "." and translate_dot:
            out.append(_JAVA_DOT)
        elif pattern.startswith("(?<", index) and pattern[index + 3 : index + 4] not in ("=", "!"):
            out.append("(?P<")
            index += 3
            continue
        else:
            out.append(char)
        index += 1
    return None if in_class else "".join(out)


def _property_class(name: str) -> str | None:
    """Character-class content for ``\\p{name}``, or ``None`` if unsupported."""
    if name in _POSIX_CLASSES:
        return _POSIX_CLASSES[name]
    for prefix in ("general_category=", "gc=", "Is"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    if name in ("L&", "LC"):
        return "".join(_unicode_categories().get(sub, "") for sub in ("Lu", "Ll", "Lt"))
    return _unicode_categories().get(name)


@functools.cache
def _unicode_categories() -> dict[str, str]:
    """Class content (``\\U..-\\U..`` ranges) for every general category and major class."""
    ranges: dict[str, list[tuple[int, int]]] = {}
    start, current = 0, unicodedata.category("\x00")
    for code in range(1, 0x110001):
        category = unicodedata.category(chr(code)) if code < 0x110000 else ""
        if category != current:
            ranges.setdefault(current, []).append((start, code - 1))
            start, current = code, category
    for category in list(ranges):
        ranges.setdefault(category[0], []).extend(ranges[category])

    def content(spans: Sequence[tuple[int, int]]) -> str:
        return "".join(
            f"\\U{low:08x}" if low == high else f"\\U{low:08x}-\\U{high:08x}" for low, high in sorted(spans)
        )

    return {category: content(spans) for category, spans in ranges.items()}
