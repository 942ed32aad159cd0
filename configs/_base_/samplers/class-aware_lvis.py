# Class-aware sampling with mmdet's ClassAwareSampler: pick a category uniformly, then an image
# containing it (num_sample_class=1 image per pick). mmengine forbids the same key in two bases,
# so this fragment defines `train_sampler`; after listing it in _base_ a config writes
#   train_dataloader = dict(sampler=dict(_delete_=True, **_base_.train_sampler))
train_sampler = dict(type='ClassAwareSampler', num_sample_class=1)
