"Fast checks of `humannums_fastai.ulmfit`: the language model's text, the labels, the classifier's data, `load_encoder`, the schedule, the curve"
import subprocess, sys
import torch
from fastai.text.learner import TextLearner
from humannums_fastai.data import shifted
from humannums_fastai.awd_lstm import awd_learner
from humannums_fastai.ulmfit import (LABELS, lm_df, dls_lm, clas_df, dls_clas, clas_learner, fit_gradual, tens_kind,
                                     label_curve, curve_summary)


def test_lm_df_has_no_validation_number():
    trn, val = lm_df().text
    assert trn.startswith('one . two . ') and trn.endswith('seven thousand nine hundred ninety nine .')
    assert 'eight thousand' not in trn and 'nine thousand' not in trn
    assert val.startswith('eight thousand one . ') and val.endswith('nine thousand nine hundred ninety nine .')


def test_labels():
    assert [LABELS['tens'](n) for n in (8105, 8113, 8123, 8130, 9999)] == [0, 1, 0, 1, 1]
    assert [LABELS['parity'](n) for n in (8100, 8113)] == [0, 1]
    assert [tens_kind(n) for n in (8105, 8113, 8123)] == ['no tens word', 'teen', 'tens word']


def test_clas_df_sample_and_split():
    df = clas_df('tens', n_train=30, seed=42)
    assert len(df) == 30 + 1999 and df.is_valid.sum() == 1999
    assert df[~df.is_valid].n.max() < 8000 and df[df.is_valid].n.min() == 8001
    assert df.n.tolist() == clas_df('tens', n_train=30, seed=42).n.tolist()
    assert (df.text.str.endswith(' .')).all()


def test_dls_clas_repeats_and_keeps_vocab():
    vocab = dls_lm().vocab
    dls = dls_clas(vocab, clas_df('parity', n_train=20), min_items=100)
    assert dls.vocab[0] == vocab and list(dls.vocab[1]) == [0, 1]
    assert (len(dls.train_ds), len(dls.valid_ds)) == (100, 1999)


def test_load_encoder_freeze_and_gradual_unfreezing(tmp_path):
    ldls = dls_lm()
    lm = awd_learner(ldls, normal_init=True, path=tmp_path)  # untrained: only the weights' journey is tested
    lm.save_encoder('enc')
    df = clas_df('tens', n_train=20)
    dls = dls_clas(ldls.vocab, df[~df.is_valid | (df.n % 20 == 0)], min_items=64)  # 100 validation numbers: fast
    learn = clas_learner(dls, 'enc', tmp_path)
    assert isinstance(learn, TextLearner)
    enc = learn.model[0].module
    assert all(torch.equal(v, lm.model[0].state_dict()[k]) for k, v in enc.state_dict().items())
    assert not any(p.requires_grad for p in enc.parameters())
    acc = fit_gradual(learn, quiet=True)
    assert 0 <= acc <= 1
    assert all(p.requires_grad for p in enc.parameters())  # unfrozen at the end


def test_label_curve_rows(tmp_path):
    ldls = dls_lm()
    awd_learner(ldls, path=tmp_path).save_encoder('enc')
    c = label_curve(ldls.vocab, 'enc', tmp_path, sizes=(10,), seeds=(42,), min_items=64)
    assert c.encoder.tolist() == ['pretrained', 'random'] and c.seed.tolist() == [shifted(42)] * 2
    assert curve_summary(c).shape == (1, 8)


def test_cli_help():
    out = subprocess.run([sys.executable, '-m', 'humannums_fastai.ulmfit', '--help'], capture_output=True, text=True)
    assert out.returncode == 0 and '--sizes' in out.stdout and '--seeds' in out.stdout
