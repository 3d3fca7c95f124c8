#!/usr/bin/env python3
"""`make mutants`: plants each curated bug of tests/mutants/*.mutant in a copy of the tree and checks that a test
catches it.

A test suite that stays green when a dangerous bug is planted promises more than it checks. Each mutant file
names one such bug (a text to find in one file and what to put instead), the build targets and the tests
(a CTest regex) to run, and the test that must catch it. The run:

1. copies the tree (the files git knows, committed or not) to build/mutants/tree and builds it with the CI
   preset, so the compiler cache of `make test` is reused;
2. runs every mutant's tests on the unchanged copy: they must all pass, or a failure below would prove nothing;
3. for each mutant: applies it (its text must occur exactly once), rebuilds, runs its tests, and puts the file
   back. The mutant is caught when at least one test fails and its `caught-by` tests are among the failures;
4. checks that docs/testing.md names every mutant, and exits non-zero unless every mutant was caught.

Usage: mutants.py [--only NAME ...] [--list] [--jobs N]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS_DIR = ROOT / "tests" / "mutants"
WORK = ROOT / "build" / "mutants"
TREE = WORK / "tree"
BUILD = TREE / "build" / "ci"
DOC = ROOT / "docs" / "testing.md"
# Per-test limit: a mutant that makes a test hang is caught by the timeout, not waited on forever.
TEST_TIMEOUT_SECONDS = 300


@dataclasses.dataclass
class Edit:
    path: str
    find: str
    replace: str


@dataclasses.dataclass
class Mutant:
    source: Path
    name: str = ""
    what: str = ""
    targets: list[str] = dataclasses.field(default_factory=list)
    tests: str = ""
    caught_by: list[str] = dataclasses.field(default_factory=list)
    edits: list[Edit] = dataclasses.field(default_factory=list)


class MutantError(Exception):
    pass


def parse_mutant(path: Path) -> Mutant:
    """Header lines `key: value`, then one or more `--- find PATH` / `--- replace` blocks of verbatim lines."""
    m = Mutant(source=path)
    lines = path.read_text().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    i = 0
    while i < len(lines) and not lines[i].startswith("--- "):
        line = lines[i]
        i += 1
        if not line.strip() or line.startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise MutantError(f"{path.name}: line {i}: expected `key: value`, got {line!r}")
        key, value = key.strip(), value.strip()
        if key == "name":
            m.name = value
        elif key == "what":
            m.what = value
        elif key == "targets":
            m.targets = value.split()
        elif key == "tests":
            m.tests = value
        elif key == "caught-by":
            m.caught_by = value.split()
        else:
            raise MutantError(f"{path.name}: unknown key {key!r}")
    while i < len(lines):
        head = lines[i]
        if not head.startswith("--- find "):
            raise MutantError(f"{path.name}: line {i + 1}: expected `--- find PATH`, got {head!r}")
        target = head[len("--- find "):].strip()
        i += 1
        find: list[str] = []
        while i < len(lines) and lines[i] != "--- replace":
            if lines[i].startswith("--- "):
                raise MutantError(f"{path.name}: line {i + 1}: a find block must be followed by `--- replace`")
            find.append(lines[i])
            i += 1
        if i == len(lines):
            raise MutantError(f"{path.name}: the find block for {target} has no `--- replace`")
        i += 1
        replace: list[str] = []
        while i < len(lines) and not lines[i].startswith("--- find "):
            replace.append(lines[i])
            i += 1
        m.edits.append(Edit(target, "\n".join(find), "\n".join(replace)))
    for field in ("name", "what", "tests"):
        if not getattr(m, field):
            raise MutantError(f"{path.name}: `{field}` is missing")
    if not m.targets or not m.caught_by or not m.edits:
        raise MutantError(f"{path.name}: needs `targets`, `caught-by` and at least one find/replace block")
    if m.name != path.stem:
        raise MutantError(f"{path.name}: name {m.name!r} differs from the file name")
    return m


def load_mutants() -> list[Mutant]:
    return [parse_mutant(p) for p in sorted(MUTANTS_DIR.glob("*.mutant"))]


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                         check=True, capture_output=True).stdout.decode()
    return [f for f in out.split("\0") if f and (ROOT / f).is_file()]


def sync_tree() -> None:
    """Copies the tree, writing only files whose bytes differ so that make rebuilds only what changed."""
    wanted = set(tracked_files())
    for rel in sorted(wanted):
        src, dst = ROOT / rel, TREE / rel
        data = src.read_bytes()
        if dst.is_file() and dst.read_bytes() == data:
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_bytes(data)
        shutil.copymode(src, dst)
    for path in TREE.rglob("*"):
        rel = path.relative_to(TREE).as_posix()
        if path.is_file() and not rel.startswith("build/") and rel not in wanted:
            path.unlink()


def run(cmd: list[str], log: Path, cwd: Path = TREE) -> int:
    # The sanitizer options of the CI test preset, which `ctest --test-dir` does not read.
    env = dict(os.environ, CCACHE_BASEDIR=str(TREE), CCACHE_NOHASHDIR="true",
               ASAN_OPTIONS="detect_leaks=1:abort_on_error=1", UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1")
    with log.open("ab") as f:
        f.write(("\n$ " + " ".join(cmd) + "\n").encode())
        f.flush()
        return subprocess.run(cmd, cwd=cwd, env=env, stdout=f, stderr=subprocess.STDOUT).returncode


def build(targets: list[str], log: Path, jobs: int) -> None:
    if run(["cmake", "--build", str(BUILD), "--parallel", str(jobs), "--target", *targets], log) != 0:
        raise MutantError(f"build of {' '.join(targets)} failed (see {log})")


def test_numbers(regex: str, log: Path) -> list[int]:
    """The CTest numbers of the tests matching `regex`."""
    out = subprocess.run(["ctest", "--test-dir", str(BUILD), "-N", "-R", regex], cwd=TREE, capture_output=True,
                         text=True)
    with log.open("a") as f:
        f.write(f"\n$ ctest -N -R {regex}\n{out.stdout}{out.stderr}")
    numbers = [int(n) for n in re.findall(r"^\s*Test\s+#(\d+):", out.stdout, flags=re.MULTILINE)]
    if out.returncode != 0 or not numbers:
        raise MutantError(f"no test matches {regex!r} (see {log})")
    return numbers


def run_tests(regexes: list[str], log: Path, jobs: int) -> tuple[int, list[str]]:
    """Runs the tests matching any of `regexes`; returns how many ran and the names of those that failed.
    Selected by number: one regex joining them all would pass CTest's limit of nine groups."""
    numbers = sorted({n for r in regexes for n in test_numbers(r, log)})
    start = log.stat().st_size if log.exists() else 0
    cmd = ["ctest", "--test-dir", str(BUILD), "-I", "0,0,0," + ",".join(map(str, numbers)), "-j", str(jobs),
           "--timeout", str(TEST_TIMEOUT_SECONDS), "--output-on-failure", "--no-tests=error"]
    run(cmd, log)
    text = log.read_bytes()[start:].decode(errors="replace")
    total = re.search(r"tests passed, (\d+) tests failed out of (\d+)", text)
    if not total:
        raise MutantError(f"ctest ran no tests for {' '.join(regexes)!r} (see {log})")
    failed = re.findall(r"^\s*\d+ - (\S+) \(", text, flags=re.MULTILINE)
    return int(total.group(2)), failed


def apply(m: Mutant) -> dict[Path, bytes]:
    """Applies the mutant's edits; returns the original bytes of every file it touched, for restore()."""
    originals: dict[Path, bytes] = {}
    try:
        for e in m.edits:
            path = TREE / e.path
            if not path.is_file():
                raise MutantError(f"{m.name}: {e.path} does not exist; update the mutant")
            originals.setdefault(path, path.read_bytes())
            text = path.read_text()
            count = text.count(e.find)
            if count != 1:
                raise MutantError(f"{m.name}: its text occurs {count} times in {e.path} (must be once); update it")
            path.write_text(text.replace(e.find, e.replace))
    except MutantError:
        restore(originals)
        raise
    return originals


def restore(files: dict[Path, bytes]) -> None:
    for path, data in files.items():
        path.write_bytes(data)


def check_doc(mutants: list[Mutant]) -> list[str]:
    text = DOC.read_text() if DOC.is_file() else ""
    missing = [m.name for m in mutants if f"`{m.name}`" not in text]
    return [f"docs/testing.md does not list the mutant `{n}`" for n in missing]


def main() -> int:
    parser = argparse.ArgumentParser(description="plant each curated bug and check that a test catches it")
    parser.add_argument("--only", nargs="*", default=[], help="run only these mutants (by name)")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    try:
        mutants = load_mutants()
    except MutantError as e:
        print(f"mutants: {e}", file=sys.stderr)
        return 2
    if args.list:
        for m in mutants:
            print(f"{m.name:40} {m.what}")
        return 0
    if args.only:
        unknown = set(args.only) - {m.name for m in mutants}
        if unknown:
            print(f"mutants: no such mutant: {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        mutants = [m for m in mutants if m.name in args.only]
    if not mutants:
        print("mutants: none found in tests/mutants", file=sys.stderr)
        return 2

    WORK.mkdir(parents=True, exist_ok=True)
    log = WORK / "mutants.log"
    log.write_text("")
    problems = check_doc(mutants)
    print(f"mutants: copying the tree to {TREE.relative_to(ROOT)} (log: {log.relative_to(ROOT)})", flush=True)
    sync_tree()
    try:
        if run(["cmake", "--preset", "ci"], log) != 0:
            raise MutantError(f"configure failed (see {log})")
        targets = sorted({t for m in mutants for t in m.targets})
        print(f"mutants: building {' '.join(targets)}", flush=True)
        build(targets, log, args.jobs)
        ran, failed = run_tests([m.tests for m in mutants], log, args.jobs)
        if failed:
            raise MutantError(f"{len(failed)} of {ran} tests fail without any mutant: {' '.join(failed)}")
        print(f"mutants: the unchanged tree passes the {ran} tests the mutants use", flush=True)
    except MutantError as e:
        print(f"mutants: {e}", file=sys.stderr)
        return 1

    results = []
    for m in mutants:
        started = time.monotonic()
        verdict, detail = "SURVIVED", ""
        files: dict[Path, bytes] = {}
        try:
            files = apply(m)
            build(m.targets, log, args.jobs)
            ran, failed = run_tests([m.tests], log, args.jobs)
            missing = [t for t in m.caught_by if t not in failed]
            if not failed:
                detail = f"all {ran} tests passed"
            elif missing:
                verdict = "WRONG"
                detail = f"caught by {' '.join(failed)}, but not by {' '.join(missing)} as documented"
            else:
                verdict, detail = "caught", f"{len(failed)} of {ran} failed: {' '.join(failed)}"
        except MutantError as e:
            verdict, detail = "ERROR", str(e)
        finally:
            restore(files)
        seconds = time.monotonic() - started
        results.append((m, verdict))
        print(f"{verdict:8} {m.name} ({seconds:.0f} s): {detail}", flush=True)

    bad = [m.name for m, v in results if v != "caught"]
    for p in problems:
        print(f"mutants: {p}", file=sys.stderr)
    print(f"mutants: {len(results) - len(bad)} of {len(results)} caught", flush=True)
    if bad:
        print(f"mutants: not caught: {' '.join(bad)}", file=sys.stderr)
    return 1 if bad or problems else 0


if __name__ == "__main__":
    sys.exit(main())
