#!/usr/bin/env python3
"""harness/tools/doc.py: read and edit the JSON and YAML files the scenarios look at.

  doc.py get FILE PATH          print what PATH selects (FILE - is stdin)
  doc.py equal FILE JSON        exit 0 when FILE's document equals the JSON text; else 1, and both
                                documents on stderr
  doc.py lacks FILE KEY         exit 0 when the top-level mapping has no KEY
  doc.py set FILE PATH JSON     set PATH (a key path) to the JSON value, and write FILE back
  doc.py delete FILE PATH       remove PATH (a key path) and write FILE back

A FILE is read as JSON, or as YAML when it is not JSON; set and delete write YAML back.

A PATH is segments joined by dots: `KEY` (a mapping's key), `N` (a list index), `*` (every item
of a list) and `[KEY=VALUE]` (the items of a list whose KEY is VALUE, as text). Once a `*` or a
filter has made a list, the segments after it apply to each item. `get` prints a string or number
as it is, a list of them one per line, anything else as compact JSON, and exits 1 when PATH
selects nothing.

  doc.py get machine.yaml 'watchers.*.name'
  doc.py get machine.yaml 'watchers.[name=remediate].properties.command'
"""
import json
import sys

import yaml

MISSING = object()


def load(path):
    if path == "-":
        text = sys.stdin.read()
    else:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    try:
        return json.loads(text)
    except ValueError:
        return yaml.safe_load(text)


def segments(path):
    return [s for s in path.split(".") if s != ""] if path else []


def step(node, seg):
    """(value, fanned out): one segment applied to one node."""
    if seg == "*":
        return (list(node) if isinstance(node, list) else MISSING), True
    if seg.startswith("[") and seg.endswith("]") and "=" in seg:
        key, want = seg[1:-1].split("=", 1)
        if not isinstance(node, list):
            return MISSING, True
        return [i for i in node if isinstance(i, dict) and str(i.get(key)) == want], True
    if isinstance(node, dict):
        return node.get(seg, MISSING), False
    if isinstance(node, list) and seg.lstrip("-").isdigit():
        i = int(seg)
        return (node[i] if -len(node) <= i < len(node) else MISSING), False
    return MISSING, False


def select(doc, path):
    """What PATH selects in doc, or MISSING."""
    nodes, fanned = [doc], False
    for seg in segments(path):
        out = []
        for n in nodes:
            value, fans = step(n, seg)
            if value is MISSING:
                continue
            if fans:
                out.extend(value)
            else:
                out.append(value)
        fanned = fanned or fans
        nodes = out
    if fanned:
        return nodes
    return nodes[0] if nodes else MISSING


def render(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
        return "\n".join(str(v) for v in value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def parent_and_key(doc, path):
    segs = segments(path)
    if not segs:
        raise SystemExit("doc.py: an empty path")
    node = doc
    for seg in segs[:-1]:
        node, _ = step(node, seg)
        if node is MISSING or not isinstance(node, (dict, list)):
            raise SystemExit("doc.py: %s does not lead to a mapping or list" % path)
    key = segs[-1]
    return node, (int(key) if isinstance(node, list) else key)


def save(path, doc):
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(doc, f, default_flow_style=False, sort_keys=False)


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 64
    verb, path = argv[0], argv[1]
    if verb == "get" and len(argv) == 3:
        value = select(load(path), argv[2])
        if value is MISSING or value == []:
            return 1
        print(render(value))
        return 0
    if verb == "equal" and len(argv) == 3:
        doc, want = load(path), json.loads(argv[2])
        if doc == want:
            return 0
        print("got:      %s\nexpected: %s" % (json.dumps(doc, sort_keys=True), json.dumps(want, sort_keys=True)), file=sys.stderr)
        return 1
    if verb == "lacks" and len(argv) == 3:
        doc = load(path)
        return 0 if isinstance(doc, dict) and argv[2] not in doc else 1
    if verb in ("set", "delete") and len(argv) == (4 if verb == "set" else 3):
        doc = load(path)
        parent, key = parent_and_key(doc, argv[2])
        if verb == "set":
            parent[key] = json.loads(argv[3])
        else:
            del parent[key]
        save(path, doc)
        return 0
    print("usage: doc.py get|equal|lacks|set|delete FILE ... (see its docstring)", file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
