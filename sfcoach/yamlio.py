"""Reading and writing YAML safely: size limits, UTF-8, no alias bombs.

Uses libyaml's C loader when present (about ten times faster) and falls back
to the pure-Python one. Anchors and aliases are allowed, but their expanded
size is measured on the node graph before anything is built, so a
"billion laughs" file is refused in microseconds instead of eating memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeDumper as Dumper
    from yaml import CSafeLoader as Loader
except ImportError:  # libyaml missing: same behaviour, slower
    from yaml import SafeDumper as Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

MAX_NODES = 200_000  # expanded nodes; a 200-answer session has about 3,000


class _NoAliasDumper(Dumper):
    """Writes repeated objects out in full, never as &anchor/*alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


class YamlError(Exception):
    """A file that is not the YAML we expect; `line` is 1-based, 0 if unknown."""

    def __init__(self, message_key: str, /, line: int = 0, **params: Any) -> None:
        super().__init__(message_key)
        self.key = message_key
        self.line = line
        self.params = params


class LMap(dict):
    """A mapping that remembers the line of itself and of each key."""

    line = 0
    key_lines: dict[Any, int]


class LSeq(list):
    """A sequence that remembers the line of itself and of each item."""

    line = 0
    item_lines: list[int]


def read_text(path: Path, limit: int) -> str:
    """The file's text; refuses what is too big or not UTF-8 before parsing."""
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise YamlError("yaml.too-big", limit=limit // 1000)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise YamlError("yaml.not-utf8", line=data.count(b"\n", 0, e.start) + 1) from None


def _compose(text: str) -> tuple[Any, yaml.Node | None]:
    loader = Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise YamlError(
            "yaml.syntax", line=mark.line + 1 if mark else 0, problem=e.problem
        ) from None
    except yaml.YAMLError as e:  # e.g. a second document, a control character
        raise YamlError("yaml.syntax", problem=str(e).splitlines()[0]) from None
    return loader, node


def _check_size(root: yaml.Node, limit: int = MAX_NODES) -> None:
    """Refuse cycles and graphs whose expansion exceeds `limit`, visiting each node once."""
    sizes: dict[int, int] = {}
    busy: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in busy:
            raise YamlError("yaml.recursive", line=node.start_mark.line + 1)
        busy.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        busy.discard(key)
        if total > limit:
            raise YamlError("yaml.alias-bomb", line=node.start_mark.line + 1)
        sizes[key] = total
        return total

    size(root)


def load_located(text: str) -> Any:
    """Parse into LMap/LSeq/scalars with line numbers, for the validators."""
    loader, root = _compose(text)
    if root is None:
        return None
    _check_size(root)

    def build(node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode):
            out = LMap()
            out.line = node.start_mark.line + 1
            out.key_lines = {}
            for knode, vnode in node.value:
                key = loader.construct_object(knode) if isinstance(knode, yaml.ScalarNode) else None
                if not isinstance(key, str):
                    raise YamlError("yaml.key-not-text", line=knode.start_mark.line + 1)
                if key in out:
                    raise YamlError("yaml.duplicate-key", line=knode.start_mark.line + 1, key=key)
                out[key] = build(vnode)
                out.key_lines[key] = knode.start_mark.line + 1
            return out
        if isinstance(node, yaml.SequenceNode):
            seq = LSeq(build(child) for child in node.value)
            seq.line = node.start_mark.line + 1
            seq.item_lines = [child.start_mark.line + 1 for child in node.value]
            return seq
        try:
            return loader.construct_object(node)
        except yaml.YAMLError as e:
            raise YamlError("yaml.syntax", line=node.start_mark.line + 1, problem=str(e)) from None

    return build(root)


def load(text: str) -> Any:
    """Plain Python data. Our own files never hold anchors, so they take the fast path."""
    if "&" not in text and "*" not in text:
        try:
            return yaml.load(text, Loader=Loader)
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            line = mark.line + 1 if mark else 0
            raise YamlError("yaml.syntax", line=line, problem=e.problem) from None
        except yaml.YAMLError as e:
            raise YamlError("yaml.syntax", problem=str(e).splitlines()[0]) from None
    loader, root = _compose(text)
    if root is None:
        return None
    _check_size(root)
    try:
        return loader.construct_document(root)
    except yaml.YAMLError as e:
        raise YamlError("yaml.syntax", problem=str(e).splitlines()[0]) from None


def dump(data: Any) -> str:
    """Human-readable YAML: block style, Unicode as is, keys in the order given."""
    return yaml.dump(
        data, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=1_000_000
    )
