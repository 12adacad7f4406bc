"Public API of `humannums_fastai.lstm`: the from-scratch cells and layer equal PyTorch's; the LM contracts."
import pytest, torch
from torch import nn
from humannums_fastai.lstm import (LSTMCell, LSTM, GRUCell, LMModel6, LMModelGRU, reorder_gates, copy_torch_lstm,
                                   copy_torch_gru)
from humannums_fastai.training import RECIPES

def test_recipes_registered():
    assert {'lmmodel6', 'lstm_scratch', 'gru_lm'} <= set(RECIPES)
    assert RECIPES['lmmodel6'].book == 0.758 and (RECIPES['lmmodel6'].epochs, RECIPES['lmmodel6'].lr) == (15, 1e-2)

def test_reorder_gates():
    assert reorder_gates(torch.arange(8)).tolist() == [0, 1, 2, 3, 6, 7, 4, 5]

def test_lstm_cell_equals_torch():
    torch.manual_seed(0)
    t, ours = nn.LSTMCell(3, 4), LSTMCell(3, 4)
    copy_torch_lstm(t, ours)
    x, st = torch.randn(5, 3), (torch.randn(5, 4), torch.randn(5, 4))
    h, c = t(x, st)
    h2, (_, c2) = ours(x, st)
    torch.testing.assert_close(h2, h); torch.testing.assert_close(c2, c)

@pytest.mark.parametrize('n_layers', [1, 2])
def test_lstm_layer_equals_torch(n_layers):
    torch.manual_seed(0)
    t, ours = nn.LSTM(3, 4, n_layers, batch_first=True), LSTM(3, 4, n_layers)
    copy_torch_lstm(t, ours)
    x, st = torch.randn(5, 7, 3), [torch.randn(n_layers, 5, 4) for _ in range(2)]
    (o, (h, c)), (o2, (h2, c2)) = t(x, st), ours(x, st)
    torch.testing.assert_close(o2, o); torch.testing.assert_close(h2, h); torch.testing.assert_close(c2, c)
    torch.testing.assert_close(ours(x)[0], t(x)[0])

def test_gru_cell_equals_torch():
    torch.manual_seed(0)
    t, ours = nn.GRUCell(3, 4), GRUCell(3, 4)
    copy_torch_gru(t, ours)
    x, h = torch.randn(5, 3), torch.randn(5, 4)
    torch.testing.assert_close(ours(x, h), t(x, h))

@pytest.mark.parametrize('make', [lambda: LMModel6(30, 16, 2), lambda: LMModel6(30, 16, 1, lstm=LSTM),
                                  lambda: LMModelGRU(30, 16, 3)])
def test_lm_contracts(make):
    m = make()
    x = torch.randint(0, 30, (8, 5))
    first = m(x)
    assert first.shape == (8, 5, 30)
    m(x).sum().backward(); m(x).sum().backward()  # state detached: no second-backward error
    assert m(x[:3]).shape == (3, 5, 30)           # a smaller last batch
    m.reset(); torch.testing.assert_close(m(x), first)
    m.to('meta'); assert m(x.to('meta')).device.type == 'meta'  # the state follows the input's device
