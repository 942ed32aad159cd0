# LVIS repeat-factor sampling, t = 1e-3, with stochastic rounding re-drawn every epoch
# (ltr_mm RepeatFactorSampler). mmengine forbids the same key in two bases, so this fragment
# defines `train_sampler`; after listing it in _base_ (after the dataset base) a config writes
#   train_dataloader = dict(sampler=dict(_delete_=True, **_base_.train_sampler))
# The train set must NOT already be wrapped in ClassBalancedDataset (RFS would apply twice).
train_sampler = dict(type='RepeatFactorSampler', repeat_thresh=1e-3)
