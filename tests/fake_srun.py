#!/usr/bin/env python3
"""A stand-in for ``srun`` on one machine: starts ``--ntasks`` copies of the command with the
variables srun gives each task, for testing ``tools/slurm_*.sh`` and ``--launcher slurm``.

Each task gets ``SLURM_PROCID`` / ``SLURM_LOCALID`` (its index), ``SLURM_NTASKS``,
``SLURM_NNODES=1``, ``SLURM_NODEID=0``, ``SLURM_NODELIST`` / ``SLURMD_NODENAME`` (this host),
``SLURM_JOB_ID``, ``SLURM_JOB_NAME``, ``SLURM_CPUS_PER_TASK`` and ``SLURM_STEP_ID``. The srun
options it was given are printed first; with ``--kill-on-bad-exit=1`` a failing task stops the
others. Exit status: the first non-zero task status, else 0.
"""
import os
import socket
import subprocess
import sys
import time

VALUE_OPTIONS = ('-p', '--partition', '-J', '--job-name', '-n', '--ntasks', '--gres',
                 '--ntasks-per-node', '--cpus-per-task', '--kill-on-bad-exit')


def parse(argv):
    """Split ``argv`` into srun options ({name: value}) and the command."""
    options, i = {}, 0
    while i < len(argv) and argv[i].startswith('-'):
        arg = argv[i]
        if '=' in arg:
            name, value = arg.split('=', 1)
        elif arg in VALUE_OPTIONS:
            name, value = arg, argv[i + 1]
            i += 1
        else:
            name, value = arg, ''
        options[name] = value
        i += 1
    return options, argv[i:]


def main():
    options, command = parse(sys.argv[1:])
    print('fake srun:', ' '.join(sys.argv[1:len(sys.argv) - len(command)]), flush=True)
    ntasks = int(options.get('--ntasks', options.get('-n', '1')))
    host = socket.gethostname()
    procs = []
    for rank in range(ntasks):
        env = dict(os.environ, SLURM_PROCID=str(rank), SLURM_LOCALID=str(rank),
                   SLURM_NTASKS=str(ntasks), SLURM_NNODES='1', SLURM_NODEID='0',
                   SLURM_NODELIST=host, SLURMD_NODENAME=host, SLURM_JOB_ID='4242',
                   SLURM_STEP_ID='0', SLURM_CPUS_PER_TASK=options.get('--cpus-per-task', '1'),
                   SLURM_JOB_NAME=options.get('--job-name', options.get('-J', 'job')))
        procs.append(subprocess.Popen(command, env=env))
    kill_on_bad_exit = options.get('--kill-on-bad-exit') == '1'
    status = 0
    while any(p.poll() is None for p in procs):
        failed = [p.returncode for p in procs if p.returncode not in (None, 0)]
        if failed and kill_on_bad_exit:
            for p in procs:
                if p.poll() is None:
                    p.kill()
        time.sleep(0.2)
    for p in procs:
        if p.returncode != 0 and status == 0:
            status = p.returncode if p.returncode > 0 else 128 - p.returncode
    sys.exit(status)


if __name__ == '__main__':
    main()
