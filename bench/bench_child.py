"""Run one job of a benchmark script as a child process and read the json it writes."""
import json
import os
import os.path as osp
import subprocess
import sys
from typing import Any, Dict, List


def run_child(script: str, argv: List[str], out: str, reuse: bool, cwd: str) -> Dict[str, Any]:
    """``python script *argv`` with its output in ``out`` minus ``.json`` plus ``.log``.

    With ``reuse`` a result file that exists already is read without running the job again.
    A failed job raises with the path of its log.
    """
    if not (reuse and osp.isfile(out)):
        log = out[:-len('.json')] + '.log'
        os.makedirs(osp.dirname(out), exist_ok=True)
        print(f'[{osp.basename(script)}] {" ".join(argv)} (log: {log})', flush=True)
        with open(log, 'w') as f:
            proc = subprocess.run([sys.executable, script, *argv], cwd=cwd, stdout=f,
                                  stderr=subprocess.STDOUT)
        if proc.returncode:
            raise RuntimeError(f'{script} {" ".join(argv)} failed (exit {proc.returncode}); '
                               f'see {log}')
    with open(out) as f:
        return json.load(f)
