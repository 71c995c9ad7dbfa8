"""A process that forks ``orderpatch`` commands ready to run: no import time per child.

The kill test starts a job twenty-odd times; a fresh interpreter costs about a second of imports
on a loaded machine, a fork of this one a few milliseconds. Each child is a real process running
``orderpatch.cli.main`` with its own environment, killed by the test with a real SIGKILL.

Protocol on stdin/stdout, one JSON object a line: ``{"run": [argv...], "env": {...}}`` answers
``{"pid": N}``; ``{"wait": N}`` answers ``{"status": exit code or -signal}``.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    import orderpatch.bulk
    import orderpatch.cli
    import orderpatch.commercelayer
    import orderpatch.commercelayer._codec
    from orderpatch._base_client import _ssl_context

    _ssl_context()  # ~75 ms per process otherwise (the TLS context every client shares)
    del orderpatch.bulk
    for line in sys.stdin:
        command = json.loads(line)
        if "run" in command:
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:  # the child: the command, then exit without the parent's cleanups
                os.environ.clear()
                os.environ.update(command["env"])
                devnull = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(devnull, fd)
                code = 70
                try:
                    code = orderpatch.cli.main(command["run"], stdout=open(os.devnull, "w"),  # noqa: SIM115
                                               stderr=open(os.devnull, "w"))  # noqa: SIM115
                finally:
                    os._exit(code)
            answer: dict[str, int] = {"pid": pid}
        else:
            _, status = os.waitpid(command["wait"], 0)
            answer = {"status": os.waitstatus_to_exitcode(status)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
