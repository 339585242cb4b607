#!/usr/bin/env python3
"""harness/tools/links.py: every link in the repository's Markdown leads somewhere.

  links.py [ROOT]            check every Markdown file of ROOT (default: this checkout) that git
                             tracks or would track (not ignored); without git, every *.md below
                             ROOT but .git, target/ and node_modules/
  links.py --files F... [--root ROOT]   check these files only

A link is `[text](target)`, `[text]: target` (a reference definition) or an HTML `href="..."`,
outside code blocks and code spans. A target is fine when:
  - it is external (`http:`, `https:`, `mailto:`): not fetched, the tests run offline;
  - its path (relative to the file, or to ROOT when it starts with `/`) names a file or folder
    inside ROOT;
  - its `#anchor`, when the path is a Markdown file (or empty: this file), is one of that file's
    anchors: a heading's GitHub anchor, or an explicit `<a name="...">` / `id="..."`.

GitHub's anchors (github-slugger, as github.com renders Markdown): the heading's text as rendered
(inline HTML, link targets, emphasis and code marks dropped), lower-cased, every character that is
not a letter, digit, `_`, `-` or space dropped, each space made a `-`; a second heading with the
same anchor gets `-1`, a third `-2`.

Prints one line per broken link, `FILE:LINE: TARGET: WHY`, then a count; exits 1 when any is
broken, 0 otherwise.
"""
import os
import re
import subprocess
import sys
import unicodedata
from urllib.parse import unquote

EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
EXPLICIT = re.compile(r"""<a\s[^>]*?\bname\s*=\s*["']([^"']+)["']|\bid\s*=\s*["']([^"']+)["']""", re.I)
HREF = re.compile(r"""\bhref\s*=\s*["']([^"']+)["']""", re.I)
REFDEF = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*(<[^>]*>|\S+)")


def slug(text):
    """GitHub's anchor for a heading whose Markdown source is TEXT."""
    text = re.sub(r"<[^>]*>", "", text)                      # inline HTML (<a name>, <code>)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)    # links and images: their text
    text = re.sub(r"!?\[([^\]]*)\]\[[^\]]*\]", r"\1", text)   # reference links
    text = text.replace("`", "")
    text = re.sub(r"(\*\*|__|\*|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))", "", text)  # emphasis marks
    out = []
    for ch in text.strip().lower():
        cat = unicodedata.category(ch)
        if ch == " ":
            out.append("-")
        elif ch in "-_" or cat[0] in "LNM":
            out.append(ch)
    return "".join(out)


def strip_code_spans(line):
    """LINE with each code span's content blanked (lengths kept), so links inside are not read."""
    out, i = [], 0
    while i < len(line):
        if line[i] == "`":
            j = i
            while j < len(line) and line[j] == "`":
                j += 1
            ticks = line[i:j]
            end = line.find(ticks, j)
            while end != -1 and end + len(ticks) < len(line) and line[end + len(ticks)] == "`":
                end = line.find(ticks, end + len(ticks) + 1)
            if end == -1:
                out.append(line[i:j])
                i = j
                continue
            out.append(" " * (end + len(ticks) - i))
            i = end + len(ticks)
        else:
            out.append(line[i])
            i += 1
    return "".join(out)


def prose_lines(text):
    """(line number, line) of TEXT outside fenced and indented code blocks."""
    fence = None
    prev_blank = True
    for n, line in enumerate(text.split("\n"), 1):
        m = FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line.strip().strip(fence[0]):
                fence = None
            prev_blank = False
            continue
        if m:
            fence = m.group(1)
            continue
        if prev_blank and (line.startswith("    ") or line.startswith("\t")) and line.strip():
            continue  # an indented code block (only after a blank line, so list items stay prose)
        prev_blank = not line.strip()
        yield n, line


def anchors(text):
    """Every anchor a Markdown document defines: headings (GitHub's way) and explicit names."""
    found, seen = set(), {}
    prev = None
    for _, line in prose_lines(text):
        for m in EXPLICIT.finditer(line):
            found.add(m.group(1) or m.group(2))
        heading = None
        m = ATX.match(line)
        if m:
            heading = m.group(2) or ""
        elif prev is not None and prev.strip() and SETEXT.match(line) and not prev.lstrip().startswith(("|", "-", "*", ">")):
            heading = prev.strip()
        prev = line
        if heading is None:
            continue
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        found.add(base if n == 0 else "%s-%d" % (base, n))
    return found


def link_targets(line):
    """The link targets of one line of prose (code spans already blanked)."""
    targets = []
    m = REFDEF.match(line)
    if m:
        targets.append(m.group(2).strip("<>"))
    i = 0
    while True:
        i = line.find("](", i)
        if i == -1:
            break
        j, depth = i + 2, 1
        while j < len(line) and depth:
            if line[j] == "(":
                depth += 1
            elif line[j] == ")":
                depth -= 1
            j += 1
        if depth:
            break
        inner = line[i + 2:j - 1].strip()
        if inner.startswith("<"):
            inner = inner[1:inner.find(">")] if ">" in inner else inner[1:]
        else:
            inner = inner.split()[0] if inner.split() else ""
        targets.append(inner)
        i = j
    targets.extend(HREF.findall(line))
    return targets


class Checker:
    def __init__(self, root):
        self.root = os.path.realpath(root)
        self._anchors = {}

    def anchors_of(self, path):
        if path not in self._anchors:
            with open(path, encoding="utf-8") as f:
                self._anchors[path] = anchors(f.read())
        return self._anchors[path]

    def check_target(self, md_path, target):
        """None when TARGET (a link in the file MD_PATH) leads somewhere, else why not."""
        if not target:
            return "an empty link"
        if EXTERNAL.match(target):
            return None
        path, _, anchor = target.partition("#")
        path = unquote(path.split("?")[0])
        if path:
            base = self.root if path.startswith("/") else os.path.dirname(md_path)
            dest = os.path.realpath(os.path.join(base, path.lstrip("/")))
            if dest != self.root and not dest.startswith(self.root + os.sep):
                return "leads outside the repository"
            if not os.path.exists(dest):
                return "no such file: %s" % os.path.relpath(dest, self.root)
        else:
            dest = md_path
        if anchor:
            if os.path.isdir(dest) or not dest.lower().endswith((".md", ".markdown")):
                return None  # an anchor in a non-Markdown file (a source line, say) is not ours to judge
            if unquote(anchor) not in self.anchors_of(dest):
                return "no anchor #%s in %s" % (anchor, os.path.relpath(dest, self.root))
        return None

    def check_file(self, md_path):
        """(line, target, why) for each broken link of one Markdown file."""
        with open(md_path, encoding="utf-8") as f:
            text = f.read()
        broken = []
        for n, line in prose_lines(text):
            for target in link_targets(strip_code_spans(line)):
                why = self.check_target(md_path, target)
                if why:
                    broken.append((n, target, why))
        return broken


def markdown_files(root):
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "*.md", "*.markdown"],
                             check=True, capture_output=True).stdout.decode("utf-8")
        files = [os.path.join(root, p) for p in out.split("\0") if p]
        return sorted(f for f in files if os.path.isfile(f))
    except (OSError, subprocess.CalledProcessError):
        found = []
        for d, dirs, names in os.walk(root):
            dirs[:] = [x for x in dirs if x not in (".git", "target", "node_modules")]
            found.extend(os.path.join(d, n) for n in names if n.endswith((".md", ".markdown")))
        return sorted(found)


def main(argv):
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    files = None
    args = list(argv)
    if "--root" in args:
        i = args.index("--root")
        root = args[i + 1]
        del args[i:i + 2]
    if args and args[0] == "--files":
        files = [os.path.abspath(f) for f in args[1:]]
    elif args:
        root = args[0]
    root = os.path.realpath(root)
    if files is None:
        files = markdown_files(root)
    checker = Checker(root)
    broken = 0
    for f in files:
        for n, target, why in checker.check_file(f):
            broken += 1
            print("%s:%d: %s: %s" % (os.path.relpath(f, root), n, target, why))
    print("%d Markdown files, %d broken links" % (len(files), broken))
    return 1 if broken or not files else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
