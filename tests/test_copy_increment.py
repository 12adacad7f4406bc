"Tests of `humannums_fastai.copy_increment` (LMModel9) from outside the notebooks."
import subprocess, sys
from pathlib import Path
import pytest, torch
from humannums_fastai.copy_increment import (successor_probs, pointer_scores, drop_vocab, LMModel9, NoWeightDecay,
                                             lmmodel9, successor_of)
from humannums_fastai.training import RECIPES, fit_recipe, save_trained
from humannums_fastai.models import load_trained

def test_successor_probs_follows_table_and_hands_carry_to_vocab():
    S = torch.tensor([[0., 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]])  # a->b, b->c, c carries
    pv = torch.tensor([[[0.2, 0.3, 0.5]]])
    assert torch.equal(successor_probs(torch.tensor([[[0., 1, 0]]]), S, pv), torch.tensor([[[0., 0, 1]]]))
    assert torch.equal(successor_probs(torch.tensor([[[0., 0, 1]]]), S, pv), pv)

def test_pointer_scores_window_and_recency():
    keys = torch.tensor([[[1., 0], [1, 0], [1, 0]]])
    z = pointer_scores(keys, keys, k=2, slope=0.5)                 # 3 queries over 3 positions
    assert torch.isinf(z[0, 0, 1:]).all() and torch.isinf(z[0, 2, 0])  # future and beyond-k masked
    assert z[0, 2, 2] > z[0, 2, 1]                                 # same key: the nearer wins

def test_drop_vocab_renormalizes():
    g = torch.tensor([[[0.5, 0.3, 0.2]]]).expand(2, 50, 3)
    d = drop_vocab(g, 1.)
    assert torch.allclose(d.sum(-1), torch.ones(2, 50)) and (d[..., 0] == 0).all()
    assert torch.equal(drop_vocab(g, 0.), g)

def test_lmmodel9_outputs_a_distribution_and_keeps_memory():
    torch.manual_seed(0)
    m = LMModel9(30, 16, 2, 0.1, k=8).eval()
    x = torch.randint(0, 30, (4, 5))
    lp, raw, out = m(x)
    assert lp.shape == (4, 5, 30) and raw.shape == out.shape == (4, 5, 16)
    assert torch.allclose(lp.exp().sum(-1), torch.ones(4, 5), atol=1e-4)
    m(x); assert m.mem[0].shape == (4, 8, 16)                    # at most k positions remembered
    m.reset(); assert m.mem is None and m.h is None
    assert m.successor_table().shape == (30, 31)

def test_lmmodel9_one_token_at_a_time_matches_a_batch():
    torch.manual_seed(0)
    m = LMModel9(30, 16, 2, 0., k=8).eval()
    x = torch.randint(0, 30, (1, 12))
    m.reset(); full = m(x)[0]
    m.reset(); steps = torch.cat([m(x[:, i:i+1])[0] for i in range(12)], 1)
    assert torch.allclose(full, steps, atol=1e-5)

def test_recipe_registered_and_trains(tmp_path):
    assert RECIPES['lmmodel9'] is lmmodel9 and lmmodel9.epochs == 30
    learn, rec = fit_recipe(lmmodel9, seed=0, epochs=1, quiet=True)
    assert 0 < rec['accuracy'] <= 1
    assert any(isinstance(cb, NoWeightDecay) for cb in learn.cbs)
    assert learn.opt.state[learn.model.succ]['do_wd'] is False
    p = save_trained(learn, 'lmmodel9', tmp_path/'m9.pth', rec)
    model, vocab, _ = load_trained(p)
    assert isinstance(model, LMModel9) and list(successor_of(model, vocab, ['one']).index) == ['one']

@pytest.mark.parametrize('name,start', [('lmmodel9', '8496'), ('lmmodel10', '8995')])
def test_cli_count_on_saved_model(tmp_path, name, start):
    "`humannums train NAME --save`, then `humannums count` on the file (LMModel10 is LMModel9 trained differently)"
    exe = Path(sys.executable).parent/'humannums'
    r = subprocess.run([str(exe), 'train', name, '--epochs', '1', '--save', str(tmp_path/'m.pth')],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    r = subprocess.run([str(exe), 'count', str(tmp_path/'m.pth'), '--start', start], capture_output=True, text=True)
    assert r.returncode == 0 and f'{start} ->' in r.stdout, r.stdout + r.stderr
