"""Experiments run on trained models (not part of a training or test run).

Knob sweeps: :mod:`.knob_selection` chooses a classification head's test-time knob (tau-norm's
tau, TDE's alpha) and :mod:`.det_knob_selection` a detector's TDE alpha on a held-out split.
They are used by ``tools/analysis_tools/knob_sweep.py`` and ``bench/``; nothing here is
registered.
"""
