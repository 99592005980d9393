"""The processes a command started: its whole tree, read from /proc (Linux).

Used by the benchmark (memory of trustaudit's parsing and check processes together) and by the
hostile test suite (its memory bounds), so both measure the same set of processes.
"""

from __future__ import annotations

import os


def descendants(root: int) -> list[int]:
    """Every live process below ``root`` (children, their children ...), without ``root``."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue  # it ended while we looked
        # the command name in parentheses may hold spaces: the parent pid follows its ")"
        ppid = int(stat.rsplit(b")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(name))
    out: list[int] = []
    stack = list(children.get(root, []))
    while stack:
        pid = stack.pop()
        out.append(pid)
        stack.extend(children.get(pid, []))
    return out
