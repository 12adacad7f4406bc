"tools/sweep.py's report (issue 19): every logged value judged against the bar the notebook's code sets now"
import json, sys
from pathlib import Path
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT/'tools'))
import sweep

def _setup(tmp_path, monkeypatch, code):
    nbs, runs = tmp_path/'nbs', tmp_path/'runs'
    nbs.mkdir(); runs.mkdir()
    (nbs/'nb.ipynb').write_text(json.dumps(dict(cells=[dict(cell_type='code', source=code)])))
    for sh, v in ((103, .5), (203, .7), (303, .6)):  # logged when the bar was 0.3: all passed then
        (runs/f'nb@{sh}.jsonl').write_text(json.dumps(dict(name='acc', measured=v, op='>', threshold=0.3, ok=True, shift=sh, asserted=True)) + '\n')
    monkeypatch.setattr(sweep, 'NBS', nbs); monkeypatch.setattr(sweep, 'RUNS', runs)

def test_a_bar_moved_in_the_code_is_judged_on_every_logged_value(tmp_path, monkeypatch):
    _setup(tmp_path, monkeypatch, ["finding('acc', min(a, b), '>', 0.55)  # bar moved after the sweep\n"])
    (r,) = sweep.summarize(sweep.load())
    assert (r['threshold'], r['fails'], r['shifts'], r['asserted']) == (0.55, 1, 3, True), r
    rep = sweep.report([])
    assert "'acc' measured 0.5, needs > 0.55" in rep, rep
    assert '| nb | acc | 3 | 0.5 to 0.7 |' in rep, rep

def test_a_finding_shown_not_asserted_is_never_listed_as_failing(tmp_path, monkeypatch):
    _setup(tmp_path, monkeypatch, ["finding('acc', a, '>', 0.55, asserted=False)\n"])
    rep = sweep.report([])
    assert '| shown |' in rep and 'needs > 0.55' not in rep, rep
