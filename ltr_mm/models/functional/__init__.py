"""Pure torch maths of the ltr_mm methods (no OpenMMLab imports)."""
from .causal_norm import (  # noqa: F401
                          bg_exempted_log_probs,
                          causal_norm_logits,
                          head_cosines,
                          heuristic_alpha,
                          tde_logit_shift,
                          tde_logits,
)
from .class_weights import as_counts, cost_sensitive_weights, effective_number_weights  # noqa: F401,E501
from .cosine_logits import cosine_logits  # noqa: F401
from .ecm_margins import ecm_class_weights, ecm_frequencies, ecm_margins  # noqa: F401
from .eqlv2_weights import eqlv2_class_weights, eqlv2_gradients, eqlv2_map  # noqa: F401
from .fcc_factors import fcc_factors  # noqa: F401
from .federated import fed_class_mask, fed_class_weights, sample_fed_classes  # noqa: F401
from .group_softmax import (  # noqa: F401,E501
                          GroupTables,
                          bags_loss,
                          build_group_tables,
                          merge_group_scores,
                          num_group_channels,
)
from .ldam_margin import ldam_margins  # noqa: F401
from .logit_adjust import adjust_logits, cdt_scales, log_prior, pad_classes  # noqa: F401
from .ncm import NCM_DISTANCES, NCM_FEAT_NORMS, class_sums, ncm_features, ncm_logits  # noqa: F401
from .sigmoid_scores import objectness_scores, sigmoid_scores_with_bg  # noqa: F401
from .tau_norm import tau_normalize  # noqa: F401
from .weight_reduce import weight_reduce_loss  # noqa: F401
from .weighted_ce import dense_targets, mean_sample_weight, sigmoid_focal_ce, softmax_ce  # noqa: F401
