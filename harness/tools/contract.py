#!/usr/bin/python3
"""harness/tools/contract.py: the container contract, schema/container-spec.v1.json, put to work.

  contract.py validate FILE...     each FILE is a container.json: exit 0 when all validate against
                                   the schema, else 1 with one line per error (FILE: PATH: message)
  contract.py validate --hiera FILE...
                                   each FILE (JSON or YAML) is one hoist::containers entry, validated
                                   against the schema's $defs/hiera_entry
  contract.py corpus [CORPUS]      judge every row of the shared corpus (default
                                   spec/fixtures/contract/values.yaml) by the schema; print the rows
                                   whose verdict differs from the row's `valid`, then
                                   `schema corpus: N rows, M disagree`; exit 1 when one does
  contract.py table [--write]      docs/spec.md's container key table is what the schema generates:
                                   exit 0 when it is, else 1 with a diff; --write rewrites it
  contract.py java [--write]       hoist-cli's patterns (spec/SchemaPatterns.java, one constant per
                                   pattern of the schema) are what the schema generates: exit 0 when
                                   they are, else 1 with a diff; --write rewrites the file
  contract.py types [--write]      the Puppet types of the container keys (types/*.pp: the type of each
                                   alias of PUPPET_ALIASES, and Hoist::ContainerConfig's Struct) are
                                   what the schema generates: exit 0 when they are, else 1 with a
                                   diff; --write rewrites them (each file's doc comment is kept)

Patterns: the schema writes its regular expressions in the subset on which ECMA-262, Java, Ruby and
Python agree (see its $comment), with one difference left: Python's `$` also matches before a
trailing newline, ECMA-262's does not. So every `$` outside a character class becomes Python's `\\Z`
before matching (`^` already means the start of the string in both), and "10s\\n" fails here as it
fails in Java, Ruby and a browser.

Runs with Debian's python3-jsonschema (4.10) and python3-yaml (hence /usr/bin/python3); exit status
2 on bad usage or a missing file.
"""
import difflib
import json
import os
import re
import sys

import jsonschema
import yaml

import doc as doc_tool  # harness/tools/doc.py: reads a JSON or YAML file

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA = os.path.join(REPO, "schema", "container-spec.v1.json")
CORPUS = os.path.join(REPO, "spec", "fixtures", "contract", "values.yaml")
SPEC_PAGE = os.path.join(REPO, "docs", "spec.md")
SPEC_PAGE_NAME = "docs/spec.md"

# The corpus's base document: every row adds its key to it.
BASE_NAME = "corpus"
BASE_IMAGE = "example/app"
# The keys only a Hiera entry has (judged by $defs/hiera_entry; hoist-cli never sees them).
HIERA_ONLY = ("ensure", "kv_layout", "register_ports", "drain_time")

TABLE_BEGIN = "<!-- container keys: generated from schema/container-spec.v1.json by harness/tools/contract.py table --write -->"
TABLE_END = "<!-- end of container keys -->"


def python_pattern(pattern):
    """The schema's pattern as Python's re must read it: `$` outside a class becomes `\\Z`."""
    out = []
    in_class = False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            # To Python (not to ECMA-262, so the schema writes neither) a `]` right after `[` or
            # `[^` is a literal `]`, not the end of the class.
            out.append("[")
            i += 1
            if pattern[i:i + 1] == "^":
                out.append("^")
                i += 1
            if pattern[i:i + 1] == "]":
                out.append("]")
                i += 1
            continue
        elif c == "$":
            out.append(r"\Z")
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


_compiled = {}


def _pattern(validator, pattern, instance, schema):
    if not validator.is_type(instance, "string"):
        return
    if pattern not in _compiled:
        _compiled[pattern] = re.compile(python_pattern(pattern))
    if not _compiled[pattern].search(instance):
        yield jsonschema.ValidationError("%r does not match %r" % (instance, pattern))


Validator = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _pattern})


def load_schema(path=SCHEMA):
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def validator(schema, hiera=False):
    """A validator of container.json, or (hiera) of one hoist::containers entry."""
    v = Validator(schema)
    return v.evolve(schema=schema["$defs"]["hiera_entry"]) if hiera else v


def errors(v, doc):
    """One line per error: the JSON path of the value and the message, values never printed."""
    out = []
    for e in sorted(v.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        path = "/".join(str(p) for p in e.absolute_path) or "(top)"
        # The message may quote the value (an environment secret): name the rule instead.
        out.append("%s: fails %s %s" % (path, e.validator, json.dumps(e.validator_value)[:120]
                                        if e.validator != "pattern" else "its pattern"))
    return out


def cmd_validate(args):
    hiera = False
    if args and args[0] == "--hiera":
        hiera, args = True, args[1:]
    if not args:
        print("usage: contract.py validate [--hiera] FILE...", file=sys.stderr)
        return 2
    v = validator(load_schema(), hiera)
    bad = 0
    for path in args:
        try:
            doc = doc_tool.load(path)
        except (OSError, ValueError, yaml.YAMLError) as e:
            print("%s: cannot read: %s" % (path, e), file=sys.stderr)
            return 2
        errs = errors(v, doc)
        for e in errs:
            print("%s: %s" % (path, e))
        bad += bool(errs)
    if bad:
        print("%d of %d files do not validate against %s" % (bad, len(args), os.path.relpath(SCHEMA, REPO)))
    return 1 if bad else 0


def load_corpus(path=CORPUS):
    with open(path, encoding="utf-8") as f:
        rows = yaml.safe_load(f)["rows"]
    for i, row in enumerate(rows):
        missing = [k for k in ("key", "valid", "why") if k not in row]
        if "value" not in row and not row.get("absent"):
            missing.append("value")
        if missing or not isinstance(row["valid"], bool):
            raise ValueError("corpus row %d (%r) lacks %s or has a valid that is not true/false" % (i + 1, row.get("key"), missing))
    return rows


def applies(row, side):
    return side in row.get("only", [side])


def row_document(row):
    """(document, hiera): what the schema judges for a corpus row."""
    hiera = row["key"] in HIERA_ONLY
    doc = {} if hiera else {"name": BASE_NAME}
    doc["image"] = BASE_IMAGE
    doc.update(row.get("with", {}))
    if row.get("absent"):
        doc.pop(row["key"], None)
    else:
        doc[row["key"]] = row["value"]
    return doc, hiera


def judge_corpus(schema, rows):
    """[(row number, row, verdict)] for the rows the schema's verdict differs on; and the count judged."""
    spec, entry = validator(schema), validator(schema, hiera=True)
    wrong, judged = [], 0
    for n, row in enumerate(rows, 1):
        if not applies(row, "schema"):
            continue
        doc, hiera = row_document(row)
        verdict = (entry if hiera else spec).is_valid(doc)
        judged += 1
        if verdict != row["valid"]:
            wrong.append((n, row, verdict))
    return wrong, judged


def describe(n, row, verdict):
    value = "(absent)" if row.get("absent") else json.dumps(row["value"], ensure_ascii=True)
    return "row %d: %s = %s: expected %s, schema says %s (%s)" % (
        n, row["key"], value[:100], "valid" if row["valid"] else "invalid",
        "valid" if verdict else "invalid", row["why"])


def cmd_corpus(args):
    rows = load_corpus(args[0] if args else CORPUS)
    wrong, judged = judge_corpus(load_schema(), rows)
    for n, row, verdict in wrong:
        print(describe(n, row, verdict))
    print("schema corpus: %d rows, %d disagree" % (judged, len(wrong)))
    return 1 if wrong else 0


# --- the key table of docs/spec.md-----------------------------------------------------------------------


def resolve(schema, node):
    while "$ref" in node:
        target = schema
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def type_text(schema, prop):
    if "$ref" in prop:
        title = resolve(schema, prop).get("title")
        if title == "Command":
            return "String or Array"
        if title == "Size":
            return "Size"
        if title in ("Duration", "Governor", "Name"):
            return "Duration" if title == "Duration" else "String"
    t = resolve(schema, prop).get("type")
    return {"string": "String", "integer": "Integer", "boolean": "Boolean", "array": "Array", "object": "Hash",
            "number": "Number"}.get(t, "?")


def default_text(schema, key, prop):
    if "default" in prop:
        d = prop["default"]
        if isinstance(d, bool):
            return "true" if d else "false"
        if isinstance(d, int):
            return str(d)
        return "`%s`" % json.dumps(d) if isinstance(d, list) else "`%s`" % d
    if "x-default-text" in prop:
        return prop["x-default-text"]
    return "required" if key in schema.get("required", []) else "none"


def key_table(schema):
    lines = ["|Key|Type|Default|Meaning|", "|---|----|-------|-------|"]
    for key, prop in schema["properties"].items():
        meaning = prop["description"].replace("|", "\\|")
        lines.append("|`%s`|%s|%s|%s|" % (key, type_text(schema, prop), default_text(schema, key, prop), meaning))
    return lines


def table_parts(text):
    lines = text.split("\n")
    try:
        begin = lines.index(TABLE_BEGIN)
        end = lines.index(TABLE_END, begin)
    except ValueError:
        return None
    return lines[:begin + 1], lines[begin + 1:end], lines[end:]


def cmd_table(args):
    write = args == ["--write"]
    if args and not write:
        print("usage: contract.py table [--write]", file=sys.stderr)
        return 2
    with open(SPEC_PAGE, encoding="utf-8") as f:
        text = f.read()
    parts = table_parts(text)
    if parts is None:
        print("%s has no container key table between %s and %s" % (SPEC_PAGE_NAME, TABLE_BEGIN, TABLE_END))
        return 1
    head, table, tail = parts
    want = key_table(load_schema())
    if table == want:
        return 0
    if write:
        with open(SPEC_PAGE, "w", encoding="utf-8") as f:
            f.write("\n".join(head + want + tail))
        print("%s: container key table rewritten from the schema" % SPEC_PAGE_NAME)
        return 0
    sys.stdout.writelines(difflib.unified_diff([l + "\n" for l in table], [l + "\n" for l in want],
                                               "%s (now)" % SPEC_PAGE_NAME, "from the schema"))
    print("%s's container key table is stale: run harness/tools/contract.py table --write" % SPEC_PAGE_NAME)
    return 1


# --- the Puppet types of types/ ---------------------------------------------------------------------

TYPES = os.path.join(REPO, "types")
# The type aliases generated from the schema: each is the node at its JSON pointer. Hoist::ContainerConfig
# (the Struct of $defs/hiera_entry) names an alias wherever a key's type is one of these, else writes the
# type inline; so a new key needs no alias (a named one is a line here and a file with its doc comment).
PUPPET_ALIASES = [
    ("Hoist::Name", "/properties/name"),
    ("Hoist::Image", "/properties/image"),
    ("Hoist::Tag", "/properties/image_tag"),
    ("Hoist::ContainerCommand", "/$defs/words"),
    ("Hoist::Network", "/properties/network"),
    ("Hoist::EnvVar", "/properties/environment/items"),
    ("Hoist::Volume", "/properties/volumes/items"),
    ("Hoist::Port", "/properties/ports/items"),
    ("Hoist::KvLayout", "/$defs/hiera_entry/properties/kv_layout"),
    ("Hoist::Duration", "/$defs/duration"),
    ("Hoist::Governor", "/$defs/governor"),
    ("Hoist::Period", "/$defs/period"),
    ("Hoist::Timeout", "/$defs/timeout"),
    ("Hoist::AbsolutePath", "/properties/restart_files/items"),
    ("Hoist::HealthUrl", "/properties/health_http"),
    ("Hoist::HealthTcp", "/properties/health_tcp"),
    ("Hoist::Size", "/$defs/size"),
    ("Hoist::CpuSet", "/properties/cpuset"),
    ("Hoist::User", "/properties/user"),
    ("Hoist::Group", "/properties/group_add/items"),
    ("Hoist::Hostname", "/properties/hostname"),
    ("Hoist::IpAddress", "/properties/dns/items"),
    ("Hoist::Domain", "/properties/dns_search/items"),
    ("Hoist::ExtraHost", "/properties/extra_hosts/items"),
    ("Hoist::LabelKey", "/properties/labels/propertyNames"),
    ("Hoist::LogDriver", "/properties/log_driver"),
    ("Hoist::LogOptKey", "/properties/log_opts/propertyNames"),
    ("Hoist::Capability", "/properties/cap_add/items"),
    ("Hoist::Tmpfs", "/properties/tmpfs/items"),
    ("Hoist::Ulimit", "/properties/ulimits/items"),
    ("Hoist::Device", "/properties/devices/items"),
    ("Hoist::Signal", "/properties/stop_signal"),
    ("Hoist::SysctlKey", "/properties/sysctls/propertyNames"),
    ("Hoist::KvBucket", "/properties/kv_bucket"),
    ("Hoist::KvKey", "/properties/kv_key"),
    ("Hoist::RegistrationName", "/$defs/registration_name"),
]
# Written by hand (a Struct with a Stdlib type): the Struct names it for the schema node it stands for.
PUPPET_HAND = {"/$defs/registration": "Hoist::Registration"}
STRUCT = "Hoist::ContainerConfig"
GENERATED = ("# The type below is generated from schema/container-spec.v1.json (%s)\n"
             "# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.")


def pointer(schema, ptr):
    node = schema
    for part in ptr.lstrip("/").split("/"):
        node = node[part]
    return node


def ruby_regex(pattern):
    """The schema's pattern as a Puppet regex literal: ^ and $ outside a class as \\A and \\z, / as \\/."""
    out, in_class, i = [], False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if c == "/":
            out.append("\\/")
        elif in_class:
            out.append(c)
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            out.append(c)
            if pattern[i + 1:i + 2] == "^":
                out.append("^")
                i += 1
        elif c == "^":
            out.append("\\A")
        elif c == "$":
            out.append("\\z")
        else:
            out.append(c)
        i += 1
    return "/%s/" % "".join(out)


def number(n):
    return str(int(n)) if float(n).is_integer() else repr(n)


def puppet_type(schema, node, aliases, ptr=None):
    """The Puppet type of a schema node (at JSON pointer ptr): the alias of that node, or an alias whose
    type it is (aliases: text -> name), else the type inline."""
    if "$ref" in node:
        ref = node["$ref"].lstrip("#")
        if ref in PUPPET_HAND:
            return PUPPET_HAND[ref]
        return puppet_type(schema, pointer(schema, ref), aliases, ref)
    by_pointer = dict((p, n) for n, p in PUPPET_ALIASES)
    if ptr in by_pointer:
        return by_pointer[ptr]
    text = own_type(schema, node, aliases, ptr=ptr)
    return aliases.get(text, text)


def own_type(schema, node, aliases, multiline=False, ptr=None):
    def sub(key):
        return puppet_type(schema, node[key], aliases, ptr and ptr + "/" + key)
    if "enum" in node:
        return "Enum[%s]" % ", ".join("'%s'" % v for v in node["enum"])
    if "anyOf" in node:
        branches = [b if "$ref" not in b else pointer(schema, b["$ref"].lstrip("#")) for b in node["anyOf"]]
        if all("pattern" in b for b in branches):
            return "Pattern[%s]" % ", ".join(ruby_regex(b["pattern"]) for b in branches)
        parts = [puppet_type(schema, b, aliases) for b in branches]
        return "Variant[\n%s\n]" % "\n".join("  %s," % t for t in parts) if multiline else "Variant[%s]" % ", ".join(parts)
    t = node.get("type", "string" if "pattern" in node else None)
    if t == "string":
        return "Pattern[%s]" % ruby_regex(node["pattern"]) if "pattern" in node else "String"
    if t == "boolean":
        return "Boolean"
    if t == "integer":
        return "Integer[%s, %s]" % (node["minimum"], node["maximum"])
    if t == "number":
        low = node["minimum"]
        return "Variant[Integer[%d, %s], Float[%s, %s]]" % (-(-low // 1), number(node["maximum"]), number(low), number(node["maximum"]))
    if t == "array":
        items = sub("items")
        return "Array[%s, %d]" % (items, node["minItems"]) if "minItems" in node else "Array[%s]" % items
    if t == "object":
        return "Hash[%s, %s]" % (sub("propertyNames"), sub("additionalProperties"))
    raise ValueError("no Puppet type for %s" % json.dumps(node)[:200])


def alias_file(name):
    return os.path.join(TYPES, name.split("::")[1].lower() + ".pp")


def generated_types(schema):
    """{path: text} of every generated type file, each keeping the doc comment of the file there now."""
    aliases, files = {}, {}
    for name, ptr in PUPPET_ALIASES:
        node = pointer(schema, ptr)
        aliases.setdefault(own_type(schema, node, {}), name)
        files[alias_file(name)] = (ptr, "type %s = %s\n" % (name, own_type(schema, node, {}, multiline=True)))
    entry = schema["$defs"]["hiera_entry"]
    keys = [(k if k in entry.get("required", []) else "Optional[%s]" % k) for k in entry["properties"]]
    width = max(len(k) for k in keys)
    lines = ["    %s => %s," % (k.ljust(width), puppet_type(schema, v, aliases, "/$defs/hiera_entry/properties/" + key))
             for k, (key, v) in zip(keys, entry["properties"].items())]
    files[alias_file(STRUCT)] = ("/$defs/hiera_entry", "type %s = Struct[{\n%s\n}]\n" % (STRUCT, "\n".join(lines)))
    out = {}
    for path, (ptr, body) in files.items():
        doc = []
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                for line in f.read().split("\n"):
                    if line.startswith("type "):
                        break
                    doc.append(line)
        doc = [l for l in doc if not l.startswith(("# The type below is generated", "# by harness/tools/contract.py types"))]
        while doc and doc[0] == "":
            doc.pop(0)
        out[path] = "%s\n\n%s%s" % (GENERATED % ptr, "\n".join(doc) + "\n" if doc else "", body)
    return out


def cmd_types(args):
    write = args == ["--write"]
    if args and not write:
        print("usage: contract.py types [--write]", file=sys.stderr)
        return 2
    stale = 0
    for path, want in sorted(generated_types(load_schema()).items()):
        have = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        if have == want:
            continue
        name = os.path.relpath(path, REPO)
        if write:
            with open(path, "w", encoding="utf-8") as f:
                f.write(want)
            print("%s: generated from the schema" % name)
            continue
        stale += 1
        sys.stdout.writelines(difflib.unified_diff(have.splitlines(True), want.splitlines(True), "%s (now)" % name, "from the schema"))
    if stale:
        print("%d type files are not what the schema generates: run harness/tools/contract.py types --write" % stale)
    return 1 if stale else 0


# --- hoist-cli's patterns ------------------------------------------------------------------------------

JAVA_PATTERNS = os.path.join(REPO, "hoist-cli", "src", "main", "java", "io", "choria", "hoist", "spec", "SchemaPatterns.java")


def pattern_constants(schema):
    """[(NAME, pointer, pattern)]: every pattern the schema writes (not through a $ref), named by its place:
    properties/x -> X, its items -> X_ITEM, a hash's keys and values -> X_KEY and X_VALUE, $defs/x -> X,
    a branch of anyOf by its place among them."""
    out = []

    def walk(node, name, ptr):
        if not isinstance(node, dict) or "$ref" in node:
            return
        if "pattern" in node:
            out.append((name, ptr, node["pattern"]))
        for key, suffix in (("items", "_ITEM"), ("propertyNames", "_KEY"), ("additionalProperties", "_VALUE")):
            if isinstance(node.get(key), dict):
                walk(node[key], name + suffix, ptr + "/" + key)
        branches = node.get("anyOf", [])
        for n, b in enumerate(branches):
            walk(b, name if n == 0 and "pattern" in b else "%s_%d" % (name, n) if "pattern" in b else name, "%s/anyOf/%d" % (ptr, n))
        for key, prop in node.get("properties", {}).items():
            walk(prop, (name + "_" if name else "") + key.upper(), ptr + "/properties/" + key)

    walk({"properties": schema["properties"]}, "", "")
    for key, node in schema["$defs"].items():
        if key != "hiera_entry":
            walk(node, key.upper(), "/$defs/" + key)
    names = [n for n, _, _ in out]
    dup = sorted(set(n for n in names if names.count(n) > 1))
    if dup:
        raise ValueError("two schema patterns would share the Java name %s" % ", ".join(dup))
    return out


def java_string(text):
    return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')


def generated_java(schema):
    lines = ["// Generated from schema/container-spec.v1.json by harness/tools/contract.py java --write: change the",
             "// schema, never this file (the tools stage fails when it is stale).",
             "package io.choria.hoist.spec;",
             "",
             "/**",
             " * The patterns of the container contract, schema/container-spec.v1.json's, one constant each, named",
             " * by its place in the schema. Compile-time constants: javac writes them into the classes that name",
             " * them (Grammar's users), so this class is never loaded, and check pays nothing for it.",
             " */",
             "final class SchemaPatterns {"]
    for name, ptr, pattern in pattern_constants(schema):
        lines.append("    /** {@code %s} */" % ptr.replace("*/", "*&#47;"))
        lines.append("    static final String %s = %s;" % (name, java_string(pattern)))
        lines.append("")
    lines.append("    private SchemaPatterns() {")
    lines.append("    }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def cmd_java(args):
    write = args == ["--write"]
    if args and not write:
        print("usage: contract.py java [--write]", file=sys.stderr)
        return 2
    want = generated_java(load_schema())
    have = open(JAVA_PATTERNS, encoding="utf-8").read() if os.path.exists(JAVA_PATTERNS) else ""
    name = os.path.relpath(JAVA_PATTERNS, REPO)
    if have == want:
        return 0
    if write:
        with open(JAVA_PATTERNS, "w", encoding="utf-8") as f:
            f.write(want)
        print("%s: generated from the schema" % name)
        return 0
    sys.stdout.writelines(difflib.unified_diff(have.splitlines(True), want.splitlines(True), "%s (now)" % name, "from the schema"))
    print("%s is not what the schema generates: run harness/tools/contract.py java --write" % name)
    return 1


def main(argv):
    commands = {"validate": cmd_validate, "corpus": cmd_corpus, "table": cmd_table, "types": cmd_types, "java": cmd_java}
    if not argv or argv[0] not in commands:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        return commands[argv[0]](argv[1:])
    except OSError as e:
        print("contract.py: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
