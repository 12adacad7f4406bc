// The course site's live panel: the series' models, exported by humannums_fastai.onnx_export, run in the
// reader's browser by ONNX Runtime Web (WebAssembly, one thread), served from this site (no CDN).
// Loaded only by the playground page (nbs/15_playground.ipynb); tools/docs.py copies it to _docs/playground/.
// The stepping rules mirror humannums_fastai.onnx_export.OnnxStepper, which mirrors evaluate.Stepper.
import * as ort from './ort/ort.wasm.min.mjs';

ort.env.wasm.numThreads = 1;  // threads need cross-origin isolation, which GitHub Pages and http.server do not give
ort.env.wasm.wasmPaths = new URL('./ort/', import.meta.url).href;

const MODELS = {lmmodel3: 'LMModel3: an RNN reading 3 words at a time', lmmodel7: 'LMModel7: a 2-layer LSTM',
                lmmodel10: 'LMModel10: an LSTM with a pointer that copies or increments'};
const COUNTERS = ['lmmodel7', 'lmmodel10'];
const TOP = 10;  // bars shown

// --- HUMAN_NUMBERS' words, as humannums_fastai.data.num2words writes them
const ONES = 'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen'.split(' ');
const TENS = 'zero ten twenty thirty forty fifty sixty seventy eighty ninety'.split(' ');
export function num2words(n) {
  if (!Number.isInteger(n) || n < 1 || n > 9999) throw new Error(`HUMAN_NUMBERS covers 1..9999; got ${n}`);
  const th = Math.floor(n / 1000), h = Math.floor(n % 1000 / 100), r = n % 100, w = [];
  if (th) w.push(ONES[th], 'thousand');
  if (h) w.push(ONES[h], 'hundred');
  if (r >= 20) { w.push(TENS[Math.floor(r / 10)]); if (r % 10) w.push(ONES[r % 10]); }
  else if (r) w.push(ONES[r]);
  return w.join(' ');
}

class UsageError extends Error {}

// --- a model: its spec and vocabulary (NAME.json) and its one-step ONNX graph (NAME.onnx)
const loaded = {};
function loadModel(name) {
  if (!(name in MODELS)) return Promise.reject(new UsageError(`unknown model ${name}`));
  return loaded[name] ??= (async () => {
    const spec = await (await fetch(new URL(`./models/${name}.json`, import.meta.url))).json();
    const session = await ort.InferenceSession.create(new URL(`./models/${name}.onnx`, import.meta.url).href,
                                                      {executionProviders: ['wasm']});
    return {name, spec, session, w2i: new Map(spec.vocab.map((w, i) => [w, i]))};
  })();
}

// the same messages as humannums_fastai.evaluate.encode
function encode(text, model) {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (!words.length) throw new UsageError("the prompt is empty; give some words, e.g. '. eight thousand one .'");
  for (const w of words)
    if (!model.w2i.has(w)) throw new UsageError(`'${w}' is not in the vocabulary; the vocabulary is: ${model.spec.vocab.join(' ')}`);
  return words.map(w => model.w2i.get(w));
}

function zeros({shape, dtype}) {
  const n = shape.reduce((a, b) => a * b, 1);
  return new ort.Tensor(dtype, dtype === 'int64' ? new BigInt64Array(n) : new Float32Array(n), shape);
}

// Stepper for an exported model: a window model is rerun from a zero state over the context in windows
// (from len % window on, as predict_next does); a sequence model is fed one token at a time, its state carried
class Stepper {
  constructor(model) { this.model = model; this.spec = model.spec; this.ids = []; }
  static async create(model, ids) {
    const st = new Stepper(model);
    st.ids = [...ids]; st.resetState();
    const w = st.spec.window;
    if (w && ids.length < w) throw new UsageError(`this model reads ${w} words at a time; give at least ${w}`);
    if (!w) for (const i of ids) await st.run([i]);
    return st;
  }
  resetState() { this.state = Object.fromEntries(this.spec.state.map(n => [n, zeros(this.spec.inputs[n])])); }
  async run(ids) {
    const feeds = {ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]), ...this.state};
    const out = await this.model.session.run(feeds);
    this.state = Object.fromEntries(this.spec.state.map(n => [n, out[`${n}_out`]]));
    this.last = Array.from(out.probs.data); this.hidden = Array.from(out.hidden.data);
    this.gate = out.gate ? Array.from(out.gate.data) : null;
  }
  async probs() {
    const w = this.spec.window;
    if (w) { this.resetState(); for (let i = this.ids.length % w; i < this.ids.length; i += w) await this.run(this.ids.slice(i, i + w)); }
    return this.last;
  }
  async push(i) { this.ids.push(i); if (!this.spec.window) await this.run([i]); }
}

const argmax = a => a.reduce((best, v, i) => v > a[best] ? i : best, 0);  // the first of equal maxima, like torch

// greedy generate_words: the most likely word until n separators are written (at most 10 n words)
async function generate(model, prompt, n, onWord) {
  const st = await Stepper.create(model, encode(prompt, model)), out = [], sep = model.spec.sep;
  for (let k = 0; k < 10 * n; k++) {
    const i = argmax(await st.probs());
    out.push(model.spec.vocab[i]); await st.push(i);
    if (onWord) onWord(st);
    if (out.filter(w => w === sep).length >= n) break;
  }
  return {words: out, stepper: st};
}

function countingPrompt(start, nPrompt, sep) {
  const nums = []; for (let i = start - nPrompt + 1; i <= start; i++) nums.push(`${num2words(i)} ${sep}`);
  return `${sep} ${nums.join(' ')}`;
}

// count on from `start` (count_from of 11_can_it_count): each generated number against the right one
async function countFrom(model, start, n, nPrompt = 2) {
  const sep = model.spec.sep, {words} = await generate(model, countingPrompt(start, nPrompt, sep), n);
  const nums = []; let cur = [];
  for (const w of words) { if (w !== sep) cur.push(w); else if (cur.length) { nums.push(cur.join(' ')); cur = []; } }
  const rows = []; let strict = 0, ok = true;
  for (let j = 0; j < n; j++) {
    const want = num2words(start + 1 + j), got = nums[j] ?? '(nothing)', right = got === want;
    ok = ok && right; if (ok) strict++;
    rows.push({want, got, right});
  }
  return {prompt: countingPrompt(start, nPrompt, sep), words, rows, strict};
}

// --- the page
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) k === 'text' ? e.textContent = v : e.setAttribute(k, v);
  e.append(...kids); return e;
};

function drawBars(box, probs, vocab) {
  const order = probs.map((p, i) => i).sort((a, b) => probs[b] - probs[a]).slice(0, TOP);
  box.replaceChildren(...order.map(i => el('div', {class: 'hn-bar', 'data-word': vocab[i], 'data-p': String(probs[i])},
    el('span', {class: 'hn-w', text: vocab[i]}),
    el('span', {class: 'hn-track'}, el('span', {class: 'hn-fill', style: `width:${(100 * probs[i]).toFixed(1)}%`})),
    el('span', {class: 'hn-p', text: probs[i].toFixed(3)}))));
}

function drawHidden(box, hidden, prev) {
  const m = Math.max(1e-6, ...hidden.map(Math.abs));
  box.replaceChildren(...hidden.map((v, i) => {
    const a = Math.min(1, Math.abs(v) / m), changed = prev && Math.abs(v - prev[i]) > 0.05 * m;
    return el('span', {class: 'hn-cell' + (changed ? ' hn-changed' : ''), title: `${i}: ${v.toFixed(3)}`,
                       style: `background:${v >= 0 ? `rgba(33,102,172,${a})` : `rgba(178,24,43,${a})`}`});
  }));
}

function build(root) {
  const opt = Object.entries(MODELS).map(([k, v]) => el('option', {value: k, text: v}));
  const ui = {
    model: el('select', {id: 'hn-model'}, ...opt),
    prompt: el('input', {id: 'hn-prompt', type: 'text', size: 48, value: '. eight thousand one . eight thousand two .', spellcheck: 'false'}),
    predict: el('button', {id: 'hn-predict', type: 'button', text: 'Predict'}),
    step: el('button', {id: 'hn-step', type: 'button', text: 'Step'}),
    generate: el('button', {id: 'hn-generate', type: 'button', text: 'Generate'}),
    n: el('input', {id: 'hn-n', type: 'number', min: 1, max: 50, value: 3, size: 3}),
    message: el('div', {id: 'hn-message', class: 'hn-message', role: 'alert'}),
    text: el('div', {id: 'hn-text', class: 'hn-text'}),
    bars: el('div', {id: 'hn-bars', class: 'hn-bars'}),
    hidden: el('div', {id: 'hn-hidden', class: 'hn-hidden'}),
    gate: el('div', {id: 'hn-gate', class: 'hn-gate'}),
    status: el('div', {id: 'hn-status', class: 'hn-status', text: 'loading ONNX Runtime Web...'}),
    start: el('input', {id: 'hn-start', type: 'number', min: 2, max: 9998, value: 8996, size: 5}),
    countN: el('input', {id: 'hn-count-n', type: 'number', min: 1, max: 20, value: 6, size: 3}),
    count: el('button', {id: 'hn-count', type: 'button', text: 'Count'}),
    countMsg: el('div', {id: 'hn-count-message', class: 'hn-message', role: 'alert'}),
    countOut: el('div', {id: 'hn-count-out', class: 'hn-count-out'}),
  };
  root.replaceChildren(
    el('div', {class: 'hn-row'}, el('label', {}, 'model ', ui.model)),
    el('div', {class: 'hn-row'}, el('label', {}, 'words so far ', ui.prompt)),
    el('div', {class: 'hn-row'}, ui.predict, ' ', ui.step, ' ', ui.generate, ' ', ui.n, ' numbers'),
    ui.message, ui.text,
    el('div', {class: 'hn-cols'},
       el('div', {}, el('div', {class: 'hn-h', text: `next word: the ${TOP} most likely`}), ui.bars),
       el('div', {}, el('div', {class: 'hn-h', text: 'hidden activations (blue +, red -; outlined: changed by the last word)'}), ui.hidden, ui.gate)),
    ui.status,
    el('h3', {text: 'Counting side by side'}),
    el('div', {class: 'hn-row'}, el('label', {}, 'count on from ', ui.start), ' ', el('label', {}, 'for ', ui.countN, ' numbers '), ui.count),
    ui.countMsg, ui.countOut);
  return ui;
}

async function main(root) {
  const ui = build(root), api = window.hnPlayground;
  ui.model.value = 'lmmodel7';  // the first prediction: the book's best model
  let st = null, busy = Promise.resolve();
  const show = (msg, box = ui.message) => { box.textContent = msg; box.classList.toggle('hn-on', !!msg); };
  // one action at a time; an error is a message on the page, never a dead panel
  const act = (fn, box) => () => busy = busy.then(async () => {
    show('', box);
    try { await fn(); }
    catch (e) { show(e instanceof UsageError ? e.message : `error: ${e.message}`, box); if (!(e instanceof UsageError)) console.error(e); }
    api.actions++;
  });
  const render = async (prevHidden) => {
    const m = st.model, probs = await st.probs();
    drawBars(ui.bars, probs, m.spec.vocab); drawHidden(ui.hidden, st.hidden, prevHidden);
    ui.gate.textContent = st.gate ? `gate: vocab ${st.gate[0].toFixed(2)}, copy ${st.gate[1].toFixed(2)}, successor ${st.gate[2].toFixed(2)}` : '';
    const words = st.ids.map(i => m.spec.vocab[i]), nPrompt = st.nPrompt;
    ui.text.replaceChildren(el('span', {class: 'hn-prompt', text: words.slice(0, nPrompt).join(' ')}), ' ',
                            el('span', {class: 'hn-gen', text: words.slice(nPrompt).join(' ')}));
    api.last = {model: m.name, words, generated: words.slice(nPrompt), probs: Array.from(probs), hidden: st.hidden};
  };
  const predict = async () => {
    const m = await loadModel(ui.model.value);
    st = await Stepper.create(m, encode(ui.prompt.value, m)); st.nPrompt = st.ids.length;
    await render(null);
  };
  ui.predict.onclick = act(predict);
  ui.model.onchange = act(predict);
  ui.prompt.onkeydown = e => { if (e.key === 'Enter') act(predict)(); };
  ui.step.onclick = act(async () => {
    if (!st) return predict();
    const prev = st.hidden; await st.push(argmax(await st.probs())); await render(prev);
  });
  ui.generate.onclick = act(async () => {
    const n = Number(ui.n.value);
    if (!(Number.isInteger(n) && n >= 1 && n <= 50)) throw new UsageError(`numbers to generate: from 1 to 50; got ${ui.n.value}`);
    const m = await loadModel(ui.model.value), ids = encode(ui.prompt.value, m), t0 = performance.now();
    const {words, stepper} = await generate(m, ui.prompt.value, n);
    api.msPerWord = (performance.now() - t0) / words.length;
    st = stepper; st.nPrompt = ids.length; await render(null);
  });
  ui.count.onclick = act(async () => {
    const start = Number(ui.start.value), n = Number(ui.countN.value);
    if (!(Number.isInteger(n) && n >= 1 && n <= 20)) throw new UsageError(`numbers to count: from 1 to 20; got ${ui.countN.value}`);
    if (!(Number.isInteger(start) && start >= 2 && start + n <= 9999))
      throw new UsageError(`start: a whole number from 2 to ${9999 - n} (HUMAN_NUMBERS counts 1..9999; the prompt is the two numbers up to it)`);
    const res = {};
    for (const name of COUNTERS) res[name] = await countFrom(await loadModel(name), start, n);
    api.count = res;
    ui.countOut.replaceChildren(...COUNTERS.map(name => el('div', {class: 'hn-counter', 'data-model': name},
      el('div', {class: 'hn-h', text: `${MODELS[name].split(':')[0]}: ${res[name].strict}/${n} in a row`}),
      el('table', {}, el('tr', {}, el('th', {text: 'should be'}), el('th', {text: 'wrote'}), el('th', {text: ''})),
        ...res[name].rows.map(r => el('tr', {class: r.right ? 'hn-right' : 'hn-wrong'},
          el('td', {text: r.want}), el('td', {text: r.got}), el('td', {text: r.right ? '✓' : '✗ mistake'})))))));
  }, ui.countMsg);

  await ort.env.wasm;  // nothing to wait for; ONNX Runtime loads its .wasm with the first session
  await act(predict)();
  api.firstPrediction = performance.now();  // ms since navigation started
  ui.status.textContent = `first prediction ${(api.firstPrediction / 1000).toFixed(2)} s after the page was opened; ONNX Runtime Web ${ort.env.versions?.web ?? ''}, WebAssembly, 1 thread`;
  api.ready = true;
}

window.hnPlayground = {ready: false, actions: 0, num2words, loadModel, generate, countFrom,
  predict: async (name, prompt) => { const m = await loadModel(name); const st = await Stepper.create(m, encode(prompt, m)); return st.probs(); }};
const root = document.getElementById('hn-playground');
if (root) main(root).catch(e => { root.textContent = `The playground could not start: ${e.message}`; window.hnPlayground.error = String(e); });
