"Public API of humannums_fastai.lmdata: course DataLoaders, the fast LM loader, the continuity check."
import torch
from fastcore.foundation import L
from fastai.torch_core import set_seed
from fastai.text.data import LMDataLoader
from humannums_fastai.lmdata import rows_continue, dls_seqs3, dls_seqs3_chunked
from humannums_fastai.course_v3 import dls_course, LMStreamDataLoader

def _same(a, b):
    A, B = list(a), list(b)
    return len(A) == len(B) and all(torch.equal(xa, xb) and torch.equal(ya, yb) for (xa, ya), (xb, yb) in zip(A, B))

def test_dls_course_seq_len_3():
    dls = dls_course(64, 3)
    shapes = [tuple(x.shape) for x, _ in dls.train]
    assert set(shapes[:-1]) == {(64, 3)} and shapes[-1] == (64, 2)
    assert type(dls.vocab) is list and len(dls.vocab) == 40 and dls.vocab[9:12] == [',', 'hundred', 'thousand']
    assert dls.vocab[19:21] == ['eight', 'nine']   # counted on the training text only, as in the v1 course
    assert dls.train.fake_l.num_workers == 0 and dls.valid.fake_l.num_workers == 0
    assert isinstance(dls.train, LMDataLoader)

def test_dls_course_valid_matches_seed():
    dls = dls_course()
    xs = [x for x, _ in dls.valid]
    assert [tuple(x.shape) for x in xs] == [(64, 70), (64, 70), (64, 63)]
    x1, y1 = dls.valid.one_batch()
    assert ' '.join(dls.vocab[o] for o in x1[0]).startswith('xxbos eight thousand one , eight thousand two')
    assert x1[:2, :3].tolist() == [[2, 19, 11], [9, 19, 11]]   # the ids the seed prints
    assert torch.equal(x1[:, 1:], y1[:, :-1])
    assert rows_continue(dls.valid, dls.valid_ds[0][0])

def test_stream_loader_matches_lmdataloader_shuffled():
    docs = L(torch.arange(i, i + 37 + i % 5) for i in range(0, 3000, 41))
    a, b = LMDataLoader(docs, bs=8, seq_len=10, shuffle=True), LMStreamDataLoader(docs, bs=8, seq_len=10, shuffle=True)
    set_seed(0); A = list(a)
    set_seed(0); assert _same(A, b)

def test_rows_continue_tells_grouped_from_plain():
    from humannums_fastai.text import human_numbers_nums
    nums = human_numbers_nums()[2]
    assert rows_continue(dls_seqs3_chunked().valid, nums)
    assert not rows_continue(dls_seqs3().valid, nums)

def test_dls_course_other_folder(tmp_path):
    from humannums_fastai.data import write_human_numbers
    p = write_human_numbers(tmp_path/'hn')
    dls = dls_course(64, 70, path=p)
    assert dls.path == p and dls.vocab == dls_course().vocab
    assert [tuple(x.shape) for x, _ in dls.valid] == [(64, 70), (64, 70), (64, 63)]
