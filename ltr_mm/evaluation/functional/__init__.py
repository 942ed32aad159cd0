"""Framework-free evaluation code: numpy and faster-coco-eval only, no OpenMMLab import."""
from .lvis_boundary import DILATION_RATIO, boundary_width, mask_boundary, rle_boundary
from .lvis_caps import NO_CAP, cap_detections, recall_suffix, top_k_per_category
from .lvis_detections import LVISDetections, concat_detections, empty_detections, top_k_per_image
from .lvis_eval import (
                              IOU_TYPES,
                              SEGM_AREAS,
                              LVISEvalResult,
                              evaluate_lvis,
                              results_segm_area,
                              select_detections,
)
from .lvis_gt import LVISGroundTruth
from .lvis_proposals import evaluate_proposals
from .lvis_protocols import PROTOCOLS, LVISProtocol, resolve_protocol
from .lvis_result_ids import check_result_category_ids, check_result_image_ids
from .lvis_results_io import (
                              RESULTS_FORMAT,
                              detections_from_records,
                              dump_detections_json,
                              iter_json_array,
                              load_detections,
                              load_raw_results,
                              save_raw_results,
)
from .lvis_table import (
                              category_table,
                              format_lvis_results,
                              lvis_table,
                              plot_ap_by_frequency,
                              print_lvis_results,
)

__all__ = [
    'DILATION_RATIO', 'IOU_TYPES', 'LVISDetections', 'LVISEvalResult', 'LVISGroundTruth',
    'LVISProtocol', 'NO_CAP', 'PROTOCOLS', 'RESULTS_FORMAT', 'SEGM_AREAS', 'boundary_width',
    'cap_detections', 'category_table', 'check_result_category_ids', 'check_result_image_ids',
    'concat_detections', 'detections_from_records', 'dump_detections_json', 'empty_detections',
    'evaluate_lvis', 'evaluate_proposals', 'format_lvis_results', 'iter_json_array',
    'load_detections', 'load_raw_results', 'lvis_table', 'mask_boundary', 'plot_ap_by_frequency',
    'print_lvis_results', 'recall_suffix', 'resolve_protocol', 'results_segm_area', 'rle_boundary',
    'save_raw_results', 'select_detections', 'top_k_per_category', 'top_k_per_image'
]
