"""Pure torch maths of the ltr_mm methods (no OpenMMLab imports)."""
from .class_weights import as_counts, cost_sensitive_weights, effective_number_weights  # noqa: F401,E501
from .ldam_margin import ldam_margins  # noqa: F401
from .logit_adjust import adjust_logits, cdt_scales, log_prior, pad_classes  # noqa: F401
from .weighted_ce import dense_targets, sigmoid_focal_ce, softmax_ce  # noqa: F401
from .group_softmax import GroupTables, bags_loss, build_group_tables, merge_group_scores, num_group_channels  # noqa: F401,E501
from .causal_norm import (bg_exempted_log_probs, causal_norm_logits, head_cosines,  # noqa: F401
                          heuristic_alpha, tde_logit_shift, tde_logits)
from .cosine_logits import cosine_logits  # noqa: F401
from .fcc_factors import fcc_factors  # noqa: F401
from .tau_norm import tau_normalize  # noqa: F401
from .weight_reduce import weight_reduce_loss  # noqa: F401
