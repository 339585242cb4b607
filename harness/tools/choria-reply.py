#!/usr/bin/env python3
"""harness/tools/choria-reply.py: read what `choria req choria_util ... --json` printed (on stdin).

`choria req` exits 0 even when the action failed: each reply's statuscode says. These verbs turn
a reply into an answer a shell script can test:

  choria-reply.py state               machine_state: print the machine's state; exit 0, or 1 when
                                      the server answered that it does not run that machine, 2
                                      when no reply came
  choria-reply.py id                  machine_state: print the machine's instance id (as state)
  choria-reply.py has-transitions T.. machine_state: exit 0 when every T is an available transition
  choria-reply.py transition NAME     machine_transition: exit 0 when accepted, 1 when refused (the
                                      server's statusmsg on stderr, naming NAME), 2 when no reply
  choria-reply.py scout-check NAME    `choria req scout checks`: print the Scout check NAME's
                                      machine state and its nagios status ("RUN OK"); exit 0, or 1
                                      when the server answered without that check, 2 when no reply
"""
import json
import sys

NO_REPLY = 2


def replies(text):
    try:
        doc = json.loads(text)
    except ValueError:
        return []
    return doc.get("replies", []) if isinstance(doc, dict) else []


def good(reply):
    return reply.get("statuscode") == 0 and isinstance(reply.get("data"), dict)


def field(text, name):
    """(exit status, value) of data[name] in the first good reply."""
    rs = replies(text)
    for r in rs:
        if good(r) and r["data"].get(name):
            return 0, r["data"][name]
    return (1 if rs else NO_REPLY), None


def has_transitions(text, wanted):
    rc, available = field(text, "available_transitions")
    if rc:
        return rc
    return 0 if set(wanted) <= set(available) else 1


def transition(text, name, err=sys.stderr):
    rs = replies(text)
    if any(good(r) and r["data"].get("success") for r in rs):
        return 0
    for r in rs:
        print("machine_transition %s: %s" % (name, r.get("statusmsg")), file=err)
    return 1 if rs else NO_REPLY


def scout_check(text, name):
    """(exit status, "STATE STATUS") of the Scout check NAME in the first good reply (scout checks)."""
    rs = replies(text)
    for r in rs:
        if not good(r):
            continue
        for c in r["data"].get("checks") or []:
            if c.get("name") == name:
                status = (c.get("status") or {}).get("status") or "NOTCHECKED"
                return 0, "%s %s" % (c.get("state"), status)
    return (1 if rs else NO_REPLY), None


def main(argv, text):
    verb, args = argv[0], argv[1:]
    if verb in ("state", "id"):
        rc, value = field(text, verb)
        if rc == 0:
            print(value)
        return rc
    if verb == "has-transitions":
        return has_transitions(text, args)
    if verb == "transition":
        return transition(text, args[0])
    if verb == "scout-check":
        rc, value = scout_check(text, args[0])
        if rc == 0:
            print(value)
        return rc
    print("usage: choria-reply.py state|id|has-transitions T...|transition NAME|scout-check NAME", file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["?"], sys.stdin.read()))
