#!/usr/bin/python3
"""Validate Choria machine.yaml files against the machine manifest schema.

Usage: validate-machine.py [--schema FILE] MACHINE_YAML...

The schema is ../shared/choria/machine-manifest-v1.json beside the repository (the schema that
`choria machine validate` uses, from go-choria v0.30.2) unless --schema names another; a missing
schema is an error, never a skip.

The schema's patterns are Go regular expressions. Python's re differs in two ways that matter
here, so patterns are translated before validating:
  * `\\z` (end of text) is unknown to Python's re before 3.14: it becomes Python's `\\Z`.
  * `$` at the end of a pattern also matches before a trailing newline in Python, but not in Go
    without the m flag: it becomes `\\Z`, so "10s\\n" fails here as it fails in Choria.
(`\\A` means the same in both.)

Gossip watchers: the schema predates Choria's `gossip` watcher type, which the runtime accepts, so
on its own it refuses every gossip watcher. This validator adds one definition, WatcherGossip
(GOSSIP_WATCHER below, written from go-choria v0.30.2's aagent/watchers/gossipwatcher/gossip.go),
as one more branch of the schema's `anyOf` over watcher types. That branch matches only
`type: gossip`; every other watcher still meets exactly the official schema's branches, and the
official definitions are not changed.

Runs with Debian's python3-jsonschema and python3-yaml (hence /usr/bin/python3).
Exit status: 0 when every file is valid, 1 when one is not, 2 on bad usage or a missing schema.
"""
import json
import os
import re
import sys

import jsonschema
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_SCHEMA = os.path.join(os.path.dirname(REPO), "shared", "choria", "machine-manifest-v1.json")


# A gossip watcher, from go-choria v0.30.2 aagent/watchers/gossipwatcher/gossip.go (New,
# setProperties, validate) and aagent/watchers/watcherdef.go (the common keys):
#  * properties are decoded with mapstructure into {subject, payload, ttl_seconds, registration};
#    either `registration` is set, and then neither `subject` nor `payload` may be, or both
#    `subject` and `payload` are set.
#  * registration {cluster, service, protocol, ip, port, priority, annotations, prefix}:
#    cluster, service and protocol required and matching `^[a-zA-Z][a-zA-Z\d_-]*$`; ip required
#    and accepted by Go's net.ParseIP (an IPv4 or IPv6 address, no zone or prefix length); port
#    required and not 0 (a uint); priority a uint; annotations a map of strings; prefix replaces
#    the subject prefix `$KV.CHORIA_SERVICES`. The subject built from them, like a given
#    `subject`, may hold no space, `^`, `*` or `..`.
#  * `interval` (the watcher's, default 15s) is how often it publishes.
# Stricter than the runtime, to catch mistakes the runtime would let through: unknown property
# or registration keys (mapstructure ignores them: a misspelt `adress` would publish no address),
# a port above 65535, and strings where numbers belong (mapstructure's weak typing converts them).
# ttl_seconds is accepted as the runtime accepts it (it sets a `Nats-TTLSeconds` header).
REGISTRATION_NAME = {"type": "string", "pattern": "^[a-zA-Z][a-zA-Z0-9_-]*$"}
GOSSIP_WATCHER = {
    "description": "A watcher that publishes a message, or a service registration into the "
                   "CHORIA_SERVICES Key-Value bucket, every interval while in its states",
    "type": "object",
    "allOf": [
        {"type": "object", "required": ["type"], "properties": {"type": {"enum": ["gossip"]}}},
        {"$ref": "#/definitions/WatcherBase"},
        {"type": "object", "required": ["properties"], "properties": {"properties": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "subject": {"type": "string", "minLength": 1, "not": {"pattern": "[ ^*]|\\.\\."}},
                "payload": {"type": "string", "minLength": 1},
                "ttl_seconds": {"type": "integer", "minimum": 0},
                "registration": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["cluster", "service", "protocol", "ip", "port"],
                    "properties": {
                        "cluster": REGISTRATION_NAME,
                        "service": REGISTRATION_NAME,
                        "protocol": REGISTRATION_NAME,
                        "ip": {"type": "string", "pattern": "^[0-9a-fA-F:.]+$",
                               "anyOf": [{"format": "ipv4"}, {"format": "ipv6"}]},
                        "port": {"type": "integer", "minimum": 1, "maximum": 65535},
                        "priority": {"type": "integer", "minimum": 0},
                        "annotations": {"type": "object", "additionalProperties": {"type": "string"}},
                        "prefix": {"type": "string", "minLength": 1, "not": {"pattern": "[ ^*]|\\.\\."}},
                    },
                },
            },
            "oneOf": [
                {"required": ["registration"], "not": {"anyOf": [{"required": ["subject"]}, {"required": ["payload"]}]}},
                {"required": ["subject", "payload"], "not": {"required": ["registration"]}},
            ],
        }}},
    ],
}


def with_gossip(schema):
    """The official schema plus the WatcherGossip definition as one more watcher type."""
    schema = dict(schema)
    schema["definitions"] = dict(schema["definitions"], WatcherGossip=GOSSIP_WATCHER)
    watchers = dict(schema["properties"]["watchers"])
    watchers["items"] = {"anyOf": watchers["items"]["anyOf"] + [{"$ref": "#/definitions/WatcherGossip"}]}
    schema["properties"] = dict(schema["properties"], watchers=watchers)
    return schema


def go_to_python(pattern):
    pattern = re.sub(r"(?<!\\)((?:\\\\)*)\\z", r"\1\\Z", pattern)
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + "\\Z"
    return pattern


def translate(node):
    if isinstance(node, dict):
        return {k: (go_to_python(v) if k == "pattern" and isinstance(v, str) else translate(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [translate(v) for v in node]
    return node


def where(error):
    return "/".join(str(p) for p in error.absolute_path) or "(top)"


def describe(errors):
    """One line per problem. A watcher fails the schema's anyOf over watcher types: report only
    the branch for the watcher's own type, the one whose `type` enum it matched."""
    lines = []
    for e in errors:
        if e.validator != "anyOf" or not e.context:
            lines.append(f"{where(e)}: {e.message}")
            continue
        branches = {}
        for sub in e.context:
            branches.setdefault(sub.schema_path[0], []).append(sub)
        own = [subs for subs in branches.values()
               if not any(s.validator == "enum" and list(s.relative_path) == ["type"] for s in subs)]
        if not own:
            lines.append(f"{where(e)}: unknown watcher type {e.instance.get('type')!r}")
        for subs in own:
            for sub in subs:
                line = f"{where(sub)}: {sub.message}"
                if line not in lines:
                    lines.append(line)
    return lines


def main(argv):
    args = argv[1:]
    schema_path = DEFAULT_SCHEMA
    if len(args) >= 2 and args[0] == "--schema":
        schema_path, args = args[1], args[2:]
    if not args:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    if not os.path.isfile(schema_path):
        print(f"validate-machine: schema not found: {schema_path}", file=sys.stderr)
        return 2
    with open(schema_path, encoding="utf-8") as f:
        schema = translate(with_gossip(json.load(f)))
    # The format checker serves the gossip ip only: the official schema uses no `format`.
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)

    failed = 0
    for path in args:
        with open(path, encoding="utf-8") as f:
            machine = yaml.safe_load(f)
        errors = sorted(validator.iter_errors(machine), key=lambda e: list(e.absolute_path))
        if errors:
            failed += 1
            for line in describe(errors):
                print(f"{path}: {line}", file=sys.stderr)
        else:
            print(f"{path}: valid")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
