"""tools/analysis_tools/bags_groups.py on a tiny LVIS-format file."""
import json

import torch
from tool_runs import load_tool

TOOL = 'tools/analysis_tools/bags_groups.py'


def test_bags_groups_tool(tmp_path, capsys):
    # ids deliberately out of order; counts 5 / 50 / 500 / 5000 / 7 (no instance_count field)
    cats = [dict(id=i, name=f'cls{i}') for i in (3, 1, 2, 5, 4)]
    per_id = {1: 5, 2: 50, 3: 500, 4: 5000, 5: 7}
    anns = [dict(id=len(per_id) * 10000 + k, category_id=c) for c, n in per_id.items()
            for k in range(n)]
    ann = tmp_path / 'train.json'
    ann.write_text(json.dumps(dict(categories=cats, annotations=anns)))
    out = tmp_path / 'out'
    load_tool(TOOL).main([str(ann), '--bins', '10', '100', '1000', '--export', str(out), '--pt'])
    text = capsys.readouterr().out
    assert '5 classes, 4 groups, fc_cls width 11' in text
    assert 'group 0        (0, 10):     2 classes, instances          5..7' in text
    record = json.loads((out / 'bags_groups.json').read_text())
    assert record['category_ids'] == [1, 2, 3, 4, 5]
    assert record['instance_counts'] == [5, 50, 500, 5000, 7]
    assert record['ltr_mm']['group_labels'] == {
        '(0, 10)': [0, 4], '[10, 100)': [1], '[100, 1000)': [2], '[1000, ~)': [3]}
    assert record['ltr_mm']['pred_slice'] == [[0, 3], [3, 2], [5, 2], [7, 2], [9, 2]]
    assert record['original']['pred_slice'] == [[0, 2], [2, 3], [5, 2], [7, 2], [9, 2]]
    assert record['original']['valsplit']['(0, 10)'] == [1, 5]
    l2b = torch.load(out / 'label2binlabel.pt')
    assert l2b.tolist() == record['original']['label2binlabel']
    assert l2b[1].tolist() == [0, 1, 0, 0, 0, 2]
    assert torch.load(out / 'pred_slice_with0.pt').tolist() == record['original']['pred_slice']
