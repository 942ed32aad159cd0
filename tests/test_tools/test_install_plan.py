"""``tools/install.sh --plan``: what the installer keeps, installs, builds or refuses, and why.

The interpreter is a small fake that answers the installer's one probe with the facts of a
machine (torch and torchvision versions, torch's CUDA version and visible GPUs, the headers of
its ``include/`` folder, the OpenMMLab packages) and logs every call; ``nvcc`` is a fake that
prints a CUDA release. ``--plan`` must decide from those facts alone and change nothing.
"""
import os
import os.path as osp
import re
import stat
import subprocess
import sys
from importlib import metadata

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
INSTALL = osp.join(REPO, 'tools', 'install.sh')
# The first lines of ATen/ATen.h in torch 2.14.1 and in torch 2.13.0 (and earlier 2.x).
CXX20_HEADER = ('#if !defined(_MSC_VER) && __cplusplus < 202002L\n'
                '#error C++20 or later compatible compiler is required to use ATen.\n#endif\n')
CXX17_HEADER = ('#if !defined(_MSC_VER) && __cplusplus < 201703L\n'
                '#error C++17 or later compatible compiler is required to use ATen.\n#endif\n')
FULL_STACK = dict(mmengine='0.10.7', mmdet='3.3.0', mmpretrain='1.2.0', lvis='0.5.3',
                  faster_coco_eval='1.8.0', pycocotools='2.0.8', test_tools=1)


def _executable(path, text):
    with open(path, 'w') as f:
        f.write(text)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    return str(path)


def plan(tmp_path, facts=None, header=None, nvcc=None, env=None, wheels=()):
    """Run ``install.sh --plan`` against a fake interpreter; return (rc, {step: line}, out, calls).

    Args:
        facts: probe answers that differ from a bare Python 3.11 (nothing installed).
        header: text of the fake torch's ``include/ATen/ATen.h`` (None: no include folder).
        nvcc: CUDA release the fake nvcc reports (None: no nvcc).
        env: more environment variables.
        wheels: file names to place in the wheel cache.
    """
    values = dict(python='3.11.7', python_tag='cp311', python_ok=1, build_tools=1,
                  setuptools='80.9.0', cuda_devices=0, test_tools=0)
    values.update(facts or {})
    if header is not None:
        include = tmp_path / 'torch_include'
        (include / 'ATen').mkdir(parents=True)
        (include / 'ATen' / 'ATen.h').write_text(header)
        values['torch_include'] = str(include)
    (tmp_path / 'facts').write_text(''.join(f'{k}={v}\n' for k, v in values.items()))
    calls = tmp_path / 'calls'
    python = _executable(tmp_path / 'python', f'#!/bin/sh\necho "$@" >> {calls}\n'
                         f'cat {tmp_path / "facts"}\n')
    cache = tmp_path / 'cache'
    cache.mkdir()
    for name in wheels:
        (cache / name).write_bytes(b'')
    run_env = dict(os.environ, PYTHON=python, LTR_MM_CACHE=str(cache), NVCC='none')
    run_env.pop('FORCE_CUDA', None)
    run_env.pop('LTR_MM_TASKS', None)
    if nvcc is not None:
        run_env['NVCC'] = _executable(
            tmp_path / 'nvcc', '#!/bin/sh\necho "nvcc: NVIDIA (R) Cuda compiler driver"\n'
            f'echo "Cuda compilation tools, release {nvcc}, V{nvcc}.99"\n')
    run_env.update(env or {})
    proc = subprocess.run(['bash', INSTALL, '--plan'], cwd=REPO, env=run_env,
                          capture_output=True, text=True)
    out = proc.stdout + proc.stderr
    lines = {}
    for line in proc.stdout.splitlines():
        match = re.match(r'  (keep|install|build|reuse|remove|skip|stop) +(.*)$', line)
        if match:
            lines[len(lines)] = (match.group(1), match.group(2))
    return (proc.returncode, list(lines.values()), out,
            calls.read_text().splitlines() if calls.exists() else [])


def find(lines, word):
    """The (action, text) of the first plan line whose text starts with ``word``."""
    hits = [(a, t) for a, t in lines if t.startswith(word)]
    assert hits, f'no plan line starts with {word!r}: {lines}'
    return hits[0]


def test_no_torch_installs_torch_spec_and_builds_against_it(tmp_path):
    rc, lines, out, calls = plan(tmp_path)
    assert rc == 0, out
    assert find(lines, 'torch==2.14.1 torchvision==0.29.1') == (
        'install', 'torch==2.14.1 torchvision==0.29.1: no torch is installed (TORCH_SPEC '
        'chooses the build)')
    action, text = find(lines, 'mmcv 2.1.0 with compiled ops')
    assert action == 'build' and 'decided once torch is installed' in text
    for dist in ('mmengine==0.10.7', 'mmdet==3.3.0', 'mmpretrain==1.2.0'):
        assert find(lines, dist)[0] == 'install'
    assert '(--plan: nothing was changed)' in out
    # One interpreter call, the probe (its code on stdin): no pip, nothing installed.
    assert calls == ['-']


def test_torch_spec_chooses_the_torch_to_install(tmp_path):
    spec = 'torch==2.14.1+cpu torchvision==0.29.1+cpu'
    rc, lines, out, _ = plan(tmp_path, env=dict(TORCH_SPEC=spec))
    assert rc == 0 and find(lines, spec)[0] == 'install', out


def test_torch_2_1_is_kept_and_mmcv_built_for_it_with_cxx17(tmp_path):
    rc, lines, out, calls = plan(
        tmp_path, dict(torch='2.1.0', torchvision='0.16.0', torch_cuda='12.1', **FULL_STACK),
        header=CXX17_HEADER)
    assert rc == 0, out
    assert find(lines, 'torch 2.1.0') == (
        'keep', 'torch 2.1.0, torchvision 0.16.0: torch >= 2.0 with its matching torchvision')
    action, text = find(lines, 'mmcv 2.1.0+cpu.torch2.1 ')
    assert action == 'build'
    assert text.startswith('mmcv 2.1.0+cpu.torch2.1 with CPU ops, -std=c++17:')
    assert [a for a, t in lines if t.startswith(('mmengine', 'mmdet', 'mmpretrain'))] == [
        'keep'] * 3
    assert calls == ['-']


def test_torch_2_14_raises_the_cxx_standard_from_its_headers(tmp_path):
    rc, lines, out, _ = plan(tmp_path, dict(torch='2.14.1', torchvision='0.29.1'),
                             header=CXX20_HEADER)
    assert rc == 0, out
    assert find(lines, 'torch 2.14.1')[0] == 'keep'
    action, text = find(lines, 'mmcv 2.1.0+cpu.torch2.14 ')
    assert action == 'build' and ', -std=c++20:' in text


def test_a_cached_wheel_of_the_same_build_is_reused(tmp_path):
    wheel = 'mmcv-2.1.0+cpu.torch2.14-cp311-cp311-linux_x86_64.whl'
    rc, lines, out, _ = plan(tmp_path, dict(torch='2.14.1', torchvision='0.29.1'),
                             header=CXX20_HEADER,
                             wheels=[wheel, 'mmcv-2.1.0+cpu.torch2.13-cp311-cp311-x.whl'])
    assert rc == 0, out
    action, text = find(lines, str(tmp_path / 'cache' / wheel))
    assert action == 'reuse' and 'the cached wheel is the cpu.torch2.14 build' in text


def test_a_cpu_wheel_is_not_reused_on_a_gpu_machine(tmp_path):
    cpu_wheel = 'mmcv-2.1.0+cpu.torch2.14-cp311-cp311-linux_x86_64.whl'
    rc, lines, out, _ = plan(
        tmp_path, dict(torch='2.14.1', torchvision='0.29.1', torch_cuda='13.0', cuda_devices=2),
        header=CXX20_HEADER, nvcc='13.0', wheels=[cpu_wheel])
    assert rc == 0, out
    action, text = find(lines, 'mmcv 2.1.0+cu130.torch2.14 ')
    assert action == 'build'
    assert text.startswith('mmcv 2.1.0+cu130.torch2.14 with CUDA ops (torch CUDA 13.0, nvcc '
                           f'CUDA 13.0 at {tmp_path / "nvcc"}, 2 GPU(s) visible), -std=c++20')


def test_gpu_build_reuses_its_own_cuda_wheel(tmp_path):
    wheel = 'mmcv-2.1.0+cu121.torch2.1-cp311-cp311-linux_x86_64.whl'
    rc, lines, out, _ = plan(
        tmp_path, dict(torch='2.1.2', torchvision='0.16.2', torch_cuda='12.1', cuda_devices=1),
        header=CXX17_HEADER, nvcc='12.4', wheels=[wheel])
    assert rc == 0, out
    assert find(lines, str(tmp_path / 'cache' / wheel))[0] == 'reuse'


def test_cuda_major_mismatch_stops_with_what_to_install(tmp_path):
    rc, lines, out, calls = plan(
        tmp_path, dict(torch='2.14.1', torchvision='0.29.1', torch_cuda='13.0', cuda_devices=1),
        header=CXX20_HEADER, nvcc='12.4')
    assert rc == 1
    action, text = lines[-1]
    assert action == 'stop' and text.startswith('mmcv 2.1.0 with CUDA ops:')
    assert 'built with CUDA 13.0 but nvcc' in text and 'is CUDA 12.4' in text
    assert 'Install the CUDA 13.x toolkit' in text and 'FORCE_CUDA=0' in text
    assert calls == ['-']


def test_gpu_without_nvcc_builds_cpu_ops_and_says_so(tmp_path):
    rc, lines, out, _ = plan(
        tmp_path, dict(torch='2.14.1', torchvision='0.29.1', torch_cuda='13.0', cuda_devices=1),
        header=CXX20_HEADER)
    assert rc == 0, out
    action, text = find(lines, 'mmcv 2.1.0+cpu.torch2.14 ')
    assert action == 'build' and 'torch sees 1 GPU(s) but no nvcc was found' in text


def test_force_cuda_0_builds_cpu_ops_on_a_gpu_machine(tmp_path):
    rc, lines, out, _ = plan(
        tmp_path, dict(torch='2.14.1', torchvision='0.29.1', torch_cuda='13.0', cuda_devices=1),
        header=CXX20_HEADER, nvcc='13.0', env=dict(FORCE_CUDA='0'))
    assert rc == 0, out
    assert find(lines, 'mmcv 2.1.0+cpu.torch2.14 with CPU ops (FORCE_CUDA=0)')[0] == 'build'


def test_mismatched_torchvision_is_replaced_with_torch_pinned(tmp_path):
    rc, lines, out, _ = plan(tmp_path, dict(torch='2.1.0', torchvision='0.15.2'),
                             header=CXX17_HEADER)
    assert rc == 0, out
    assert find(lines, 'torchvision==0.16.*') == (
        'install', 'torchvision==0.16.* (torch==2.1.0 pinned): torch 2.1.0 is kept; '
        'torchvision 0.15.2 does not match it, it needs 0.16.x')


def test_mismatched_torchvision_of_a_local_build_stops(tmp_path):
    rc, lines, out, _ = plan(tmp_path, dict(torch='2.1.0+cu118', torchvision='0.15.2+cu118'),
                             header=CXX17_HEADER)
    assert rc == 1
    action, text = lines[-1]
    assert action == 'stop' and text.startswith('torchvision 0.15.2+cu118: torch 2.1.0+cu118 '
                                                "needs torchvision 0.16.x built for the same "
                                                "'+cu118' variant")


def test_torch_older_than_2_stops(tmp_path):
    rc, lines, out, _ = plan(tmp_path, dict(torch='1.13.1', torchvision='0.14.1'),
                             header=CXX17_HEADER)
    assert rc == 1
    action, text = lines[-1]
    assert action == 'stop' and text.startswith('torch 1.13.1: ltr_mm needs torch >= 2.0')
    assert not any(t.startswith('mmcv') for _, t in lines)


def test_working_mmcv_with_ops_is_kept(tmp_path):
    rc, lines, out, _ = plan(
        tmp_path, dict(torch='2.1.0', torchvision='0.16.0', mmcv='2.1.0', mmcv_ops='cpu',
                       **FULL_STACK), header=CXX17_HEADER)
    assert rc == 0, out
    assert find(lines, 'mmcv 2.1.0') == ('keep', 'mmcv 2.1.0 with cpu ops: its ops import '
                                         'against torch 2.1.0')


def test_classification_only_installs_mmcv_lite_and_no_mmdet(tmp_path):
    rc, lines, out, _ = plan(tmp_path, dict(torch='2.14.1', torchvision='0.29.1'),
                             header=CXX20_HEADER, env=dict(LTR_MM_TASKS='cls'))
    assert rc == 0, out
    assert 'tasks: cls' in out
    assert find(lines, 'mmcv-lite==2.1.0')[0] == 'install'
    assert find(lines, 'mmdet') == ('skip', 'mmdet: LTR_MM_TASKS=cls')
    assert find(lines, 'mmpretrain==1.2.0')[0] == 'install'
    assert not any(a == 'build' for a, _ in lines)


def test_full_install_replaces_mmcv_lite(tmp_path):
    rc, lines, out, _ = plan(tmp_path, dict(torch='2.14.1', torchvision='0.29.1',
                                            mmcv_lite='2.1.0'), header=CXX20_HEADER)
    assert rc == 0, out
    assert find(lines, 'mmcv-lite 2.1.0')[0] == 'remove'
    assert find(lines, 'mmcv 2.1.0+cpu.torch2.14 ')[0] == 'build'


def test_unknown_tasks_value_is_refused(tmp_path):
    rc, _, out, calls = plan(tmp_path, env=dict(LTR_MM_TASKS='seg'))
    assert rc == 2 and "LTR_MM_TASKS='seg'" in out and calls == []


def test_plan_of_this_interpreter_reports_its_torch(tmp_path):
    """The real probe: the plan of the interpreter running the tests names its torch."""
    env = dict(os.environ, PYTHON=sys.executable, LTR_MM_CACHE=str(tmp_path), NVCC='none')
    proc = subprocess.run(['bash', INSTALL, '--plan'], cwd=REPO, env=env, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    version = '%d.%d.%d' % sys.version_info[:3]
    assert f'(Python {version})' in proc.stdout
    torch, vision = metadata.version('torch'), metadata.version('torchvision')
    assert f'  keep     torch {torch}, torchvision {vision}: ' in proc.stdout
