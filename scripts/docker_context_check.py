#!/usr/bin/env python3
"""Does the Docker build stage get every file its `cargo build` needs?

Without a Docker engine: `stage` copies what the build stage's COPY lines
would copy from a fresh clone (the files git knows, minus .dockerignore)
into a directory standing for the image's file system; `verify` then takes
the workspace's `cargo metadata`, run there, and checks that every source
directory the build compiles and every file an `include_str!` or
`include_bytes!` names came along. Run through
scripts/docker-context-check.sh.

    docker_context_check.py stage <image-root>    (prints the build's WORKDIR)
    docker_context_check.py verify <image-root> <workdir> <metadata.json>
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

REPO = Path(__file__).resolve().parent.parent


def fail(message):
    sys.exit(f"docker-context-check: {message}")


def instructions(dockerfile):
    """(keyword, arguments) per instruction, continuation lines joined."""
    joined, pending = [], ""
    for line in dockerfile.read_text().splitlines():
        if not pending and line.lstrip().startswith("#"):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        pending += line
        if pending.strip():
            keyword, _, rest = pending.strip().partition(" ")
            joined.append((keyword.upper(), rest.strip()))
        pending = ""
    return joined


def build_stage(dockerfile):
    """The instructions of the stage that runs `cargo build`."""
    stages, current = [], None
    for keyword, rest in instructions(dockerfile):
        if keyword == "FROM":
            current = []
            stages.append(current)
        elif current is not None:
            current.append((keyword, rest))
    for stage in stages:
        if any(k == "RUN" and "cargo build" in r for k, r in stage):
            return stage
    fail(f"no stage of {dockerfile} runs `cargo build`")


def copy_arguments(rest):
    """Sources and destination of a COPY/ADD, or None for `--from` copies."""
    if rest.startswith("["):
        words = json.loads(rest)
    else:
        words = shlex.split(rest)
    flags = [w for w in words if w.startswith("--")]
    if any(f.startswith("--from") for f in flags):
        return None
    paths = [w for w in words if not w.startswith("--")]
    return paths[:-1], paths[-1]


def ignore_rules(dockerignore):
    """(regex, excludes) per .dockerignore line, as Docker reads them: `*`
    and `?` stay within one path segment, `**` spans any, and a pattern
    that matches a directory covers everything under it."""
    rules = []
    if not dockerignore.exists():
        return rules
    for line in dockerignore.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        excludes = not line.startswith("!")
        pattern = os.path.normpath(line.lstrip("!").strip().lstrip("/"))
        regex, i = "", 0
        while i < len(pattern):
            if pattern.startswith("**/", i):  # any directories, or none
                regex += "(.*/)?"
                i += 3
            elif pattern.startswith("**", i):
                regex += ".*"
                i += 2
            elif pattern[i] == "*":
                regex += "[^/]*"
                i += 1
            elif pattern[i] == "?":
                regex += "[^/]"
                i += 1
            elif pattern[i] == "[":
                end = pattern.find("]", i)
                regex += pattern[i : end + 1] if end > 0 else re.escape("[")
                i = end + 1 if end > 0 else i + 1
            else:
                regex += re.escape(pattern[i])
                i += 1
        rules.append((re.compile(regex + "(/.*)?"), excludes))
    return rules


def clone_files():
    """What a fresh clone of the work tree holds: the files git knows, and
    new ones it does not ignore."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, check=True, capture_output=True, text=True,
    ).stdout.split("\0")
    return [path for path in listed if path and (REPO / path).is_file()]


def context_files():
    """A fresh clone minus .dockerignore: the build context."""
    rules = ignore_rules(REPO / ".dockerignore")
    kept = []
    for path in clone_files():
        ignored = False
        for regex, excludes in rules:
            if regex.fullmatch(path):
                ignored = excludes
        if not ignored:
            kept.append(path)
    return kept


def stage(root):
    files = context_files()
    workdir = PurePosixPath("/")
    for keyword, rest in build_stage(REPO / "Dockerfile"):
        if keyword == "WORKDIR":
            workdir = workdir / rest
        if keyword not in ("COPY", "ADD"):
            continue
        arguments = copy_arguments(rest)
        if arguments is None:
            continue
        sources, destination = arguments
        target = workdir / destination
        for source in sources:
            source = os.path.normpath(source)
            if source == ".":
                matched = files
            else:
                matched = [f for f in files if f == source or f.startswith(source + "/")]
            if not matched:
                fail(f"`{keyword} {rest}`: {source} is not in the build context")
            for path in matched:
                if path == source:  # a file
                    into_dir = destination.endswith("/") or len(sources) > 1
                    placed = target / PurePosixPath(path).name if into_dir else target
                else:  # under a directory: its contents go to the destination
                    placed = target / PurePosixPath(path).relative_to(source if source != "." else "")
                out = root / placed.relative_to("/")
                out.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(REPO / path, out)
    print(workdir)


INCLUDE = re.compile(r'include_(?:str|bytes)!\(\s*"([^"]+)"\s*\)')


def verify(root, workdir, metadata):
    """Every tracked file under the source directory of each target the
    build compiles, and every file those sources include, is in the image."""
    packages = {p["name"]: p for p in metadata["packages"]}
    run = " ".join(r for k, r in build_stage(REPO / "Dockerfile") if k == "RUN")
    bins = re.findall(r"--bin[ =](\S+)", run)
    if bins:
        roots = [p for p in packages.values() if any(t["name"] in bins and "bin" in t["kind"] for t in p["targets"])]
        found = {t["name"] for p in roots for t in p["targets"] if "bin" in t["kind"]}
        if set(bins) - found:
            fail(f"no package in the build stage has the binary {', '.join(sorted(set(bins) - found))}")
    else:
        roots = [p for p in packages.values() if p["id"] in metadata["workspace_members"]]
    built, todo = {}, list(roots)
    while todo:
        package = todo.pop()
        if package["name"] in built:
            continue
        built[package["name"]] = package
        for dependency in package["dependencies"]:
            if dependency.get("path") and dependency["kind"] in (None, "build"):
                todo.append(packages[dependency["name"]])

    image_dir = (root / workdir.relative_to("/")).resolve()  # as cargo reports paths
    needed, missing = set(), []
    for package in built.values():
        for target in package["targets"]:
            kinds = set(target["kind"])
            if kinds & {"lib", "rlib", "proc-macro"} or ("bin" in kinds and (not bins or target["name"] in bins)):
                needed.add(Path(target["src_path"]).parent)
            elif "custom-build" in kinds:
                needed.add(Path(target["src_path"]))
    tracked = clone_files()
    for place in sorted(needed):
        relative = place.relative_to(image_dir)
        for path in tracked:
            if path == str(relative) or path.startswith(f"{relative}/"):
                if not (image_dir / path).is_file():
                    missing.append(f"{path} (the build compiles {relative})")
        for source in (place.rglob("*.rs") if place.is_dir() else [place]):
            for included in INCLUDE.findall(source.read_text(errors="replace")):
                if not (source.parent / included).is_file():
                    missing.append(f"{included}, included by {source.relative_to(image_dir)}")
    if missing:
        fail("the Docker build stage lacks files the build needs (add a COPY, "
             "or take them out of .dockerignore):\n  " + "\n  ".join(missing))
    print(f"docker-context-check: the build stage has all it needs "
          f"({', '.join(sorted(built))}; {len(needed)} source places)")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "stage":
        stage(Path(sys.argv[2]))
    elif len(sys.argv) == 5 and sys.argv[1] == "verify":
        verify(Path(sys.argv[2]), PurePosixPath(sys.argv[3]), json.loads(Path(sys.argv[4]).read_text()))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
