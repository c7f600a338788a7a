"""Reading and writing YAML safely: size limits, UTF-8, no alias bombs, no stack bombs.

Uses libyaml's C loader when present (about ten times faster) and falls back
to the pure-Python one. Anchors and aliases are allowed, but their expanded
size is measured on the node graph before anything is built, so a
"billion laughs" file is refused in microseconds instead of eating memory.
Deep nesting is refused before parsing: libyaml's composer recurses in C and
would crash the process on a file like [[[[...]]]] a hundred thousand deep.
PyYAML itself is imported on first use, off the path to the first question.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

MAX_NODES = 200_000  # expanded nodes; a 200-answer session has about 3,000
MAX_DEPTH = 200  # nested collections; our own files nest five deep


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


@cache
def _yaml() -> Any:
    """PyYAML with its fastest safe loader and dumper (C when libyaml is there)."""
    import yaml

    try:
        from yaml import CSafeDumper as Dumper
        from yaml import CSafeLoader as Loader
    except ImportError:  # libyaml missing: same behaviour, slower
        from yaml import SafeDumper as Dumper  # type: ignore[assignment]
        from yaml import SafeLoader as Loader  # type: ignore[assignment]

    class NoAliasDumper(Dumper):
        """Writes repeated objects out in full, never as &anchor/*alias."""

        def ignore_aliases(self, data: Any) -> bool:
            return True

    yaml.sfcoach_loader = Loader  # type: ignore[attr-defined]  # our attributes on the module
    yaml.sfcoach_dumper = NoAliasDumper  # type: ignore[attr-defined]
    return yaml


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


def _check_depth(text: str) -> None:
    """Refuse collections nested deeper than MAX_DEPTH. Only files with many
    brackets can be that deep (block nesting needs ever longer lines, so the size
    limit bounds it); for those the parser's event stream, which is iterative,
    gives the true depth, quotes and all."""
    openers = text.count("[") + text.count("{")
    # `followups: []` on every answer: an empty [] or {} can only be the innermost level
    # (or plain text, counted on both sides), so together they add at most one.
    empties = text.count("[]") + text.count("{}")
    if openers - empties + min(empties, 1) <= MAX_DEPTH:
        return
    yaml = _yaml()
    opening = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    closing = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.sfcoach_loader):
            if isinstance(event, opening):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlError("yaml.too-deep", line=event.start_mark.line + 1, max=MAX_DEPTH)
            elif isinstance(event, closing):
                depth -= 1
    except yaml.YAMLError as e:
        if _too_deep(e):
            raise _problem(e, text) from None
        return  # not valid YAML: the parse itself reports where


def _check_count(text: str) -> None:
    """Refuse files of more than MAX_NODES values before building them (a 16 MB file
    of tiny values would take a minute and gigabytes). Outside quotes every value
    costs a line break or a comma, so only files with many of those are counted,
    from the parser's event stream, stopping at the limit."""
    if text.count("\n") + text.count(",") <= MAX_NODES:
        return
    yaml = _yaml()
    try:
        for n, _ in enumerate(yaml.parse(text, Loader=yaml.sfcoach_loader)):
            if n > MAX_NODES:  # a value is at least one event
                raise YamlError("yaml.too-many-nodes")
    except yaml.YAMLError:
        return  # not valid YAML: the parse itself reports where


def _too_deep(e: Exception) -> bool:
    """libyaml 0.2.5 as bundled with PyYAML 6.0.4 stops flow nesting past 1,000 levels
    itself, often before our own depth check has seen an event: the same refusal, so
    the same reason on every PyYAML version."""
    return "maximum nesting depth" in str(getattr(e, "problem", "") or "")


def _problem(e: Exception, text: str) -> YamlError:
    """Any failure of PyYAML as a YamlError with the best line we can find."""
    yaml = _yaml()
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    line = mark.line + 1 if mark else 0
    if _too_deep(e):
        return YamlError("yaml.too-deep", line=line, max=MAX_DEPTH)
    if not line and isinstance(e, yaml.reader.ReaderError):
        line = text.count("\n", 0, e.position) + 1
    problem = getattr(e, "problem", None) or str(e).splitlines()[0]
    if isinstance(e, yaml.constructor.ConstructorError):  # well-formed, but e.g. !secret x
        return YamlError("yaml.bad-value", line=line, problem=problem)
    return YamlError("yaml.syntax", line=line, problem=problem)


# PyYAML's constructors let all sorts escape on odd input (impossible dates, a bad
# !!int or !!timestamp): any failure while building values is a bad value.
_CONSTRUCT_ERRORS = (Exception,)


def _compose(text: str) -> tuple[Any, Any]:
    yaml = _yaml()
    _check_depth(text)
    try:
        loader = yaml.sfcoach_loader(text)
        return loader, loader.get_single_node()
    except yaml.YAMLError as e:
        raise _problem(e, text) from None
    except RecursionError:
        raise YamlError("yaml.too-deep", max=MAX_DEPTH) from None


def _check_size(root: Any, limit: int = MAX_NODES) -> None:
    """Refuse cycles and graphs whose expansion exceeds `limit`, visiting each node once."""
    yaml = _yaml()
    sizes: dict[int, int] = {}
    busy: set[int] = set()
    aliased = False

    def size(node: Any) -> int:
        nonlocal aliased
        key = id(node)
        if key in sizes:
            aliased = True  # a node reached twice: an alias
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
            why = "yaml.alias-bomb" if aliased else "yaml.too-many-nodes"
            raise YamlError(why, line=node.start_mark.line + 1)
        sizes[key] = total
        return total

    try:
        size(root)
    except RecursionError:
        raise YamlError("yaml.too-deep", max=MAX_DEPTH) from None


def load_located(text: str) -> Any:
    """Parse into LMap/LSeq/scalars with line numbers, for the validators."""
    yaml = _yaml()
    loader, root = _compose(text)
    if root is None:
        return None
    _check_size(root)

    def build(node: Any) -> Any:
        if isinstance(node, yaml.MappingNode):
            out = LMap()
            out.line = node.start_mark.line + 1
            out.key_lines = {}
            for knode, vnode in node.value:
                line = knode.start_mark.line + 1
                if knode.tag == "tag:yaml.org,2002:merge":
                    raise YamlError("yaml.merge-key", line=line)
                key = scalar(knode) if isinstance(knode, yaml.ScalarNode) else None
                if not isinstance(key, str):
                    raise YamlError("yaml.key-not-text", line=line)
                if key in out:
                    raise YamlError("yaml.duplicate-key", line=line, key=key)
                out[key] = build(vnode)
                out.key_lines[key] = line
            return out
        if isinstance(node, yaml.SequenceNode):
            seq = LSeq(build(child) for child in node.value)
            seq.line = node.start_mark.line + 1
            seq.item_lines = [child.start_mark.line + 1 for child in node.value]
            return seq
        return scalar(node)

    def scalar(node: Any) -> Any:
        try:
            return loader.construct_object(node)
        except (yaml.YAMLError, *_CONSTRUCT_ERRORS) as e:
            raise YamlError(
                "yaml.bad-value", line=node.start_mark.line + 1, problem=type(e).__name__
            ) from None

    try:
        return build(root)
    except RecursionError:
        raise YamlError("yaml.too-deep", max=MAX_DEPTH) from None


def load(text: str) -> Any:
    """Plain Python data. Our own files never hold anchors, so they take the fast path."""
    yaml = _yaml()
    if "&" not in text and "*" not in text:
        _check_depth(text)
        _check_count(text)
        try:
            return yaml.load(text, Loader=yaml.sfcoach_loader)
        except yaml.YAMLError as e:
            raise _problem(e, text) from None
        except _CONSTRUCT_ERRORS as e:
            raise YamlError("yaml.bad-value", problem=type(e).__name__) from None
    _check_count(text)
    loader, root = _compose(text)
    if root is None:
        return None
    _check_size(root)
    try:
        return loader.construct_document(root)
    except yaml.YAMLError as e:
        raise _problem(e, text) from None
    except _CONSTRUCT_ERRORS as e:
        raise YamlError("yaml.bad-value", problem=type(e).__name__) from None


def dump(data: Any) -> str:
    """Human-readable YAML: block style, keys in the order given, letters such as
    å ä ö as they are. (libyaml writes characters beyond the Basic Multilingual
    Plane, such as emoji, as \\U escapes; they load back exactly.)"""
    yaml = _yaml()
    return yaml.dump(
        data, Dumper=yaml.sfcoach_dumper, allow_unicode=True, sort_keys=False, width=1_000_000
    )
