"""Request ids stay unique across forked workers."""

from __future__ import annotations

import os

from pitchaseat.ops.middleware import _new_request_id


def test_a_forked_worker_draws_other_request_ids() -> None:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report its first id and leave at once
        os.write(write_end, _new_request_id().encode())
        os._exit(0)
    os.waitpid(pid, 0)
    child_id = os.read(read_end, 64).decode()

    parent_id = _new_request_id()

    assert len(child_id) == len(parent_id) == 32
    assert child_id != parent_id
