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


# issue 23: the controls (layer outputs, reading alone or in a stream, probes, stage 2, a long budget, held-out numbers)
import numpy as np
from humannums_fastai.ulmfit import (HELD_OUT, layer_outputs, read_texts, lm_reading, best_guess, pooled, probe,
                                     random_encoder, finetune_lm, fit_long, held_accuracy, train_classifier, numbers)


def test_best_guess_is_a_fact_of_the_list():
    assert best_guess(['one .', 'two .']) == 1.0
    assert best_guess(['one hundred .', 'one thousand .']) == 0.75
    assert best_guess(['a b', 'a b', 'a c']) == 2 / 3


def test_layer_outputs_end_with_the_encoders_output():
    vocab = dls_lm().vocab
    enc = random_encoder(vocab).eval()
    x = torch.tensor([[vocab.index(w) for w in 'eight thousand one hundred five .'.split()]] * 2)
    enc.reset(); outs = layer_outputs(enc, x)
    enc.reset(); last = enc(x)
    assert [tuple(o.shape) for o in outs] == [(2, 6, 64)] * 3 and torch.allclose(outs[-1], last, atol=1e-6)


def test_read_texts_alone_and_in_a_stream():
    vocab = dls_lm().vocab
    enc, texts = random_encoder(vocab), ['eight thousand one .', 'eight thousand two .', 'nine .']
    alone, stream = read_texts(enc, vocab, texts), read_texts(enc, vocab, texts, isolated=False)
    assert [len(r[0]) for r in alone] == [4, 4, 2] == [len(r[0]) for r in stream]
    assert torch.allclose(alone[0][-1], stream[0][-1], atol=1e-5)  # the first text starts from a reset state either way
    assert not torch.allclose(alone[1][-1], stream[1][-1])       # the second follows the first in a stream
    assert pooled(alone, 2).shape == (3, 3 * 64)


def test_held_out_numbers_are_never_labelled():
    assert len(set(HELD_OUT)) == 1000 and min(HELD_OUT) >= 1 and max(HELD_OUT) <= 7999
    df = clas_df('tens', None, held=HELD_OUT)
    assert not set(df.n) & set(HELD_OUT) and (~df.is_valid).sum() == 6999
    assert clas_df('tens', 30, held=HELD_OUT).n.isin(HELD_OUT).sum() == 0
    assert clas_df('tens', 30).n.tolist() == clas_df('tens', 30, held=()).n.tolist()  # no held numbers: the same sample


def test_probe_reads_a_separable_label():
    X = np.r_[np.zeros((20, 2)), np.ones((20, 2))] + np.random.RandomState(0).rand(40, 2) * 0.1
    y = np.r_[np.zeros(20), np.ones(20)]
    assert probe(X, y, np.arange(0, 40, 2), np.arange(1, 40, 2)) == 1.0


def test_fit_long_stage2_and_held_accuracy(tmp_path):
    ldls = dls_lm()
    lm = awd_learner(ldls, normal_init=True, path=tmp_path)
    lm.save_encoder('enc')
    texts = [t + ' .' for t in numbers('valid.txt')[:300]]
    finetune_lm(lm, texts, epochs=1)
    assert lm.dls.vocab == ldls.vocab and len(lm.recorder.values) == 1  # the last fit: one epoch unfrozen
    assert lm_reading(lm.model, ldls.vocab, texts[:50]) <= 1 and best_guess(texts) < 1
    learn, acc = train_classifier(ldls.vocab, 'enc', tmp_path, n_train=20, min_items=64, epochs=1, held=HELD_OUT)
    assert all(p.requires_grad for p in learn.model.parameters())  # `fit_long` unfreezes every layer
    assert 0 <= acc <= 1 and 0 <= held_accuracy(learn, nums=HELD_OUT[:50]) <= 1
