"""YAML loading that remembers where every key was, so that errors can name `path:line`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class ContentError(Exception):
    """An error an editor can fix, located as `path:line: message`."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(f"{self.path}:{line}: {message}")


@dataclass(frozen=True)
class Located:
    """A loaded YAML document plus the line of each key, by key path."""

    path: Path
    data: Any
    lines: dict[tuple, int]

    def line(self, *key: Any) -> int:
        """Line of `key` (a path of keys and list indices), or of its nearest located parent."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return 1


def _walk(node: yaml.Node, prefix: tuple, lines: dict[tuple, int], seen: set[int]) -> None:
    # An alias is the node it names: walk each node once (an alias may even contain itself).
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue  # a list or mapping as a key: the loader has already refused it
            key = (*prefix, key_node.value)
            lines[key] = key_node.start_mark.line + 1
            _walk(value_node, key, lines, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            key = (*prefix, index)
            lines[key] = item.start_mark.line + 1
            _walk(item, key, lines, seen)


def load_located(path: Path) -> Located:
    """Parse one YAML file; anything that is not readable YAML becomes a ContentError with its line."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ContentError(path, line, "the file is not UTF-8 text: save it as UTF-8") from None
    loader = None
    try:
        loader = yaml.SafeLoader(text)  # refuses control characters at once (ReaderError)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None  # = yaml.safe_load, parsed once
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise ContentError(path, line, f"YAML syntax error: {error.problem}") from None
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        raise ContentError(path, line, f"character U+{error.character:04X} is not allowed in YAML: delete it") from None
    except RecursionError:
        raise ContentError(path, 1, "YAML nested too deeply") from None
    finally:
        if loader is not None:
            loader.dispose()
    lines: dict[tuple, int] = {}
    if node is not None:
        _walk(node, (), lines, set())
    return Located(path=path, data=data, lines=lines)
