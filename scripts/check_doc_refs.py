#!/usr/bin/env python3
"""Checks that what the code cites exists in the repository's own documents.

1. Every rule id in a string literal of src/ (an API's "status_rule": "R14.4", an explain "rule", a message
   ending in "(R15)") has an anchor in docs/rules.md: <a id="r14.4"></a>.
2. Every section of the ZK protocol cited anywhere (a comment's "§6.3", "§10 item 8") is a heading of
   docs/zk-protocol.md, and every cited item of §10 is one of its numbered items.
3. No file cites a document that is not in the repository.

Usage: check_doc_refs.py [REPO_ROOT] [--checks=rules,sections,foreign] (default: all three); exits non-zero and
prints each missing reference. CTest runs it as `docs_references` (label unit).
"""

import pathlib
import re
import sys

ARGS = [a for a in sys.argv[1:] if not a.startswith("--checks")]
CHECKS = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--checks=")), "rules,sections,foreign")
ROOT = pathlib.Path(ARGS[0] if ARGS else pathlib.Path(__file__).resolve().parent.parent)
SOURCE_DIRS = ["src", "apps", "tests", "bench", "docs", "scripts"]
TEXT_SUFFIXES = {".cpp", ".hpp", ".md", ".js", ".py", ".txt", ".cmake", ".sh", ".toml", ".yaml"}
# Documents that once lived outside the repository; nothing may cite them.
FOREIGN_DOCUMENTS = ["product.md", "attendance-rules.md", "adms-push.md", "cpp-stack-notes", "shared/docs"]

STRING_LITERAL = re.compile(r'"(?:[^"\\\n]|\\.)*"')
RULE_ID = re.compile(r"\bR\d+(?:\.\d+)?[a-z]?\b")
SECTION = re.compile(r"§(\d+(?:\.\d+)?)(?: items? (\d+)(?: and (\d+))?)?")


def files(dirs, suffixes):
    for d in dirs:
        for path in sorted((ROOT / d).rglob("*")):
            if path.is_file() and path.suffix in suffixes and "node_modules" not in path.parts:
                yield path


def rule_anchors(problems):
    anchors = set(re.findall(r'<a id="(r[\d.]+[a-z]?)"></a>', (ROOT / "docs/rules.md").read_text()))
    for path in files(["src"], {".cpp", ".hpp"}):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if line.lstrip().startswith("//"):
                continue
            for literal in STRING_LITERAL.findall(line):
                for rule in RULE_ID.findall(literal):
                    if rule.lower() not in anchors:
                        problems.append(f"{path.relative_to(ROOT)}:{n}: {rule} has no anchor in docs/rules.md")


def protocol_sections(problems):
    text = (ROOT / "docs/zk-protocol.md").read_text()
    headings = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", text, re.MULTILINE))
    section_10 = text.split("\n## 10.", 1)[1].split("\n## ", 1)[0]
    items = set(re.findall(r"^(\d+)\. ", section_10, re.MULTILINE))
    for path in files(SOURCE_DIRS, TEXT_SUFFIXES):
        if path.name == "zk-protocol.md" or path.name == pathlib.Path(__file__).name:
            continue
        for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            for section, *cited_items in SECTION.findall(line):
                where = f"{path.relative_to(ROOT)}:{n}"
                if section not in headings:
                    problems.append(f"{where}: §{section} is not a section of docs/zk-protocol.md")
                for item in filter(None, cited_items):
                    if section != "10" or item not in items:
                        problems.append(f"{where}: §{section} item {item} is not in docs/zk-protocol.md")


def foreign_documents(problems):
    for path in list(files(SOURCE_DIRS, TEXT_SUFFIXES)) + [ROOT / "README.md", ROOT / "Makefile"]:
        if path.name == pathlib.Path(__file__).name:
            continue
        for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            for name in FOREIGN_DOCUMENTS:
                if name in line:
                    problems.append(f"{path.relative_to(ROOT)}:{n}: cites {name}, which is not in the repository")


def main():
    problems = []
    checks = {"rules": rule_anchors, "sections": protocol_sections, "foreign": foreign_documents}
    for name in CHECKS.split(","):
        checks[name](problems)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
