# ECM's model settings as the authors train it, for a config that lists this fragment in _base_
# after its baseline: `custom_hooks` gives the loss the training image counts. mmengine forbids
# the same key in two bases, so for the keys the baseline already has it defines values a
# config assigns:
#   ecm_cls: the box head's cosine classifier (NormedLinear, temperature 20) and ECMClsLoss
#     (C class sigmoids plus an objectness logit, fg_bg_ratio 6.3313);
#   ecm_mask_head: the normalised mask predictor (NormedConv2d, temperature 20) of Mask R-CNN;
#   ecm_clip_grad: gradients clipped at norm 5.
custom_hooks = [dict(type='SetClassStatsHook', count_type='image')]
ecm_cls = dict(cls_predictor_cfg=dict(type='NormedLinear', tempearture=20),
               loss_cls=dict(type='ECMClsLoss', fg_bg_ratio=6.3313, loss_weight=1.0))
ecm_mask_head = dict(predictor_cfg=dict(type='NormedConv2d', tempearture=20))
ecm_clip_grad = dict(max_norm=5, norm_type=2)
