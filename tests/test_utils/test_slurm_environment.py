"""``--launcher slurm``: the srun variables become the torch.distributed ones (mmengine's
mapping), and a task started without srun is refused with what is missing."""
import os

import pytest

from ltr_mm.utils.cli import slurm_environment

SRUN_TASK = dict(SLURM_PROCID='3', SLURM_NTASKS='4', SLURM_LOCALID='1',
                 SLURM_NODELIST='node[07-08]', MASTER_ADDR='10.0.0.7')


@pytest.fixture
def clean_env(monkeypatch):
    for key in ('RANK', 'WORLD_SIZE', 'LOCAL_RANK', 'MASTER_ADDR', 'MASTER_PORT',
                *SRUN_TASK):
        monkeypatch.delenv(key, raising=False)
    return monkeypatch


def test_srun_variables_map_to_rank_world_size_and_local_rank(clean_env):
    for key, value in SRUN_TASK.items():
        clean_env.setenv(key, value)
    slurm_environment()
    assert (os.environ['RANK'], os.environ['WORLD_SIZE'], os.environ['LOCAL_RANK']) == (
        '3', '4', '1')
    assert os.environ['MASTER_ADDR'] == '10.0.0.7' and os.environ['MASTER_PORT'] == '29500'


def test_master_port_from_the_environment_is_kept(clean_env):
    for key, value in SRUN_TASK.items():
        clean_env.setenv(key, value)
    clean_env.setenv('MASTER_PORT', '31337')
    slurm_environment()
    assert os.environ['MASTER_PORT'] == '31337'


def test_master_address_comes_from_scontrol(clean_env, tmp_path):
    scontrol = tmp_path / 'scontrol'
    scontrol.write_text('#!/bin/sh\n[ "$1 $2 $3" = "show hostname node[07-08]" ] && '
                        'printf "node07\\nnode08\\n"\n')
    scontrol.chmod(0o755)
    clean_env.setenv('PATH', f'{tmp_path}{os.pathsep}{os.environ["PATH"]}')
    for key, value in SRUN_TASK.items():
        if key != 'MASTER_ADDR':
            clean_env.setenv(key, value)
    slurm_environment()
    assert os.environ['MASTER_ADDR'] == 'node07'


def test_without_srun_variables_the_launcher_refuses(clean_env):
    clean_env.setenv('SLURM_PROCID', '0')
    with pytest.raises(RuntimeError, match='SLURM_NTASKS, SLURM_NODELIST not set'):
        slurm_environment()
