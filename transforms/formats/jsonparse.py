"""Parse one JSON value with a nesting cap and errors that say where and what to do."""
import json

from transforms.formats import MalformedInput, TooDeep
from transforms.source import BinaryInput, UndecodableInput

MAX_RECORD_BYTES = 16 * 1024 * 1024  # default cap on one JSONL line / one JSON array element
MAX_DEPTH = 64


def _depth(value) -> int:
    depth, level = 0, [value]
    while level:
        depth += 1
        level = [child for item in level if isinstance(item, (dict, list))
                 for child in (item.values() if isinstance(item, dict) else item)]
        level = [child for child in level if isinstance(child, (dict, list))]
    return depth


def too_deep(where: str, max_depth: int) -> TooDeep:
    """The error for a value nesting deeper than ``max_depth`` (or than Python can parse)."""
    return TooDeep("read", f"{where}: JSON nests deeper than {max_depth} levels; flatten the record")


def check_depth(value, where: str, max_depth: int):
    """``value`` itself, or ``TooDeep`` if it nests deeper than ``max_depth`` levels."""
    if isinstance(value, (dict, list)) and _depth(value) > max_depth:
        raise too_deep(where, max_depth)
    return value


def loads(data, where: str, max_depth: int):
    """The JSON value of ``data`` (UTF-8 bytes or str) nesting at most ``max_depth`` levels."""
    if ("\x00" if isinstance(data, str) else b"\x00") in data:
        raise BinaryInput("read", f"{where}: holds NUL bytes, so it is binary data, not JSON; "
                                  "check the file or pass the right --input_format")
    try:
        value = json.loads(data)
    except RecursionError:
        raise too_deep(where, max_depth) from None
    except UnicodeDecodeError as error:
        raise UndecodableInput("read", f"{where}: not valid UTF-8 ({error.reason} at byte "
                                       f"{error.start}); re-encode the dump as UTF-8") from None
    except ValueError as error:
        raise MalformedInput("read", f"{where}: invalid JSON ({error}); fix or drop the record") from None
    return check_depth(value, where, max_depth)
