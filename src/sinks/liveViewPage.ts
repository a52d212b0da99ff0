/**
 * The live view's page: one self-contained HTML file, built once per server from memory, with
 * uPlot (npm `uplot`, MIT) inlined so it works without any network (a Pi in the field, an SSH
 * tunnel). uPlot draws streaming time series on a canvas and is ~50 kB; the page only feeds it
 * arrays and draws the beat and detection markers.
 *
 * Stable element ids for tests and scripts: #status (data-state), #hr (data-bpm), #quality
 * (data-state: good, noisy or flat, ECG only), #hrv (data-rmssd: the last window's RMSSD, ms,
 * empty without measures; ECG only), #rhythm (data-state: af or not-af, from the first change; ECG
 * only), #detections,
 * #counters, #gaps, #signal-chart (data-points: signal points drawn so far, data-draws: redraws),
 * #spikes-chart (audio: spike rates per frame), #raster-chart (ECG: the spike raster of UP, DOWN
 * and every neuron; data-points: raster cells received so far); `window.liveView` holds the same
 * numbers ({ points, rasterPoints, draws, messages, hr, ended }).
 *
 * In fleet mode (`liveViewPage('fleet')`, the fleet view of `fleetView.ts`) the same page shows
 * #fleet instead: a table with one row per device (tbody #fleet-rows, each tr with data-device,
 * cells .device, .status (data-state, coloured as #status), .bpm, .quality, .beats, .words, .age
 * (seconds since the device's last message, still counting between snapshots), .finished);
 * `window.liveView.devices` is the number of rows. Text from the network (device ids, states,
 * words) goes in as textContent only, never as HTML, as the detections do.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The page, with uPlot and its stylesheet inlined.
 * @param mode `stream` (one stream's charts) or `fleet` (a table of devices). @default 'stream'
 */
export function liveViewPage(mode: 'stream' | 'fleet' = 'stream'): string {
  const libraryPath = require.resolve('uplot/dist/uPlot.iife.min.js');
  const library = readFileSync(libraryPath, 'utf8').replace(/<\/script/gi, '<\\/script');
  const css = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  const version = (JSON.parse(readFileSync(require.resolve('uplot/package.json'), 'utf8')) as { version: string }).version;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>edgespike live view</title>
<style>${css}
body { font: 14px system-ui, sans-serif; margin: 12px 16px; color: #222; background: #fafafa; }
header { display: flex; gap: 16px; align-items: baseline; flex-wrap: wrap; }
h1 { font-size: 16px; margin: 0; font-weight: 600; }
.state { padding: 2px 8px; border-radius: 4px; background: #ddd; }
.state[data-state="connected"], .state[data-state="streaming"], .state[data-state="leads-on"], .state[data-state="online"], .state[data-state="good"], .state[data-state="not-af"] { background: #c8efc8; }
.state[data-state="leads-off"], .state[data-state="reconnecting"], .state[data-state="noisy"] { background: #ffe3a3; }
.state[data-state="disconnected"], .state[data-state="view-lost"], .state[data-state="offline"], .state[data-state="flat"], .state[data-state="af"] { background: #f6b8b8; }
.state[data-state="ended"] { background: #ccd; }
/* !important: the mode hides a part whatever its own rule (#readout, #counters are flex boxes). */
body[data-mode="fleet"] .stream-only, body[data-mode="stream"] .fleet-only { display: none !important; }
#fleet { border-collapse: collapse; margin: 10px 0; font-variant-numeric: tabular-nums; }
#fleet th, #fleet td { text-align: left; padding: 4px 10px; border-bottom: 1px solid #ddd; }
#fleet td.bpm, #fleet td.beats, #fleet td.age { text-align: right; }
#fleet td.bpm { font-size: 18px; }
#fleet .state, #fleet th { white-space: nowrap; }
#readout { display: flex; gap: 24px; align-items: center; margin: 8px 0; flex-wrap: wrap; }
#hr-box { font-size: 18px; }
#hr { font-size: 40px; font-variant-numeric: tabular-nums; }
#detections { list-style: none; padding: 0; margin: 0; display: flex; gap: 8px; flex-wrap: wrap; }
#detections li { border: 1px solid #aac; border-radius: 4px; padding: 2px 6px; background: #eef; }
#detections li b { font-size: 20px; }
#counters { display: flex; gap: 18px; flex-wrap: wrap; font-variant-numeric: tabular-nums; color: #333; }
#counters span b { font-weight: 600; }
.chart { background: #fff; border: 1px solid #ddd; margin: 6px 0; }
.note { color: #777; font-size: 12px; }
</style>
</head>
<body data-mode="${mode}">
<header>
  <h1 id="title">edgespike live view</h1>
  <span id="status" class="state" data-state="connecting">connecting</span>
  <span id="gaps" class="stream-only" data-gaps="0" data-missing="0">no gaps</span>
</header>
<table id="fleet" class="fleet-only">
  <thead><tr><th>device</th><th>status</th><th>heart rate, bpm</th><th>signal</th><th>beats</th><th>last words</th><th>last message, s ago</th><th>finished</th></tr></thead>
  <tbody id="fleet-rows"></tbody>
</table>
<p class="note fleet-only" id="fleet-note">no device yet</p>
<section id="readout" class="stream-only">
  <div id="hr-box">heart rate <b id="hr" data-bpm="">–</b> bpm <span id="quality" class="state" data-state="" title="signal quality: good; noisy (beats unreliable); flat (no signal)">signal –</span> <span id="rhythm" class="state" data-state="" title="rhythm: atrial fibrillation (af) or not, from RR irregularity; shown from the first change">rhythm –</span> <span id="hrv" data-rmssd="" title="heart-rate variability of the NN intervals over the last window (default 5 minutes), every minute">HRV –</span></div>
  <ol id="detections" aria-label="latest detections"></ol>
</section>
<div id="signal-chart" class="chart stream-only" data-points="0" data-draws="0"></div>
<div id="spikes-chart" class="chart stream-only"></div>
<div id="raster-chart" class="chart stream-only" data-points="0" hidden></div>
<section id="counters" class="stream-only">
  <span>spikes in <b id="c-spikes-in">–</b>/s</span>
  <span>neuron spikes <b id="c-neuron-spikes">–</b>/s</span>
  <span>synaptic ops <b id="c-synops">–</b>/s</span>
  <span>neuron updates <b id="c-updates">–</b>/s</span>
  <span>est. power <b id="c-power">–</b> nW</span>
  <span class="note" id="c-page">page –</span>
</section>
<p class="note stream-only">Rates are per second of signal, over the last <span id="c-window">2</span> s; power = <span id="c-pj">0.9</span> pJ × (synaptic ops + neuron updates) per second (45 nm estimate, see src/snn/cost.ts). Raster: a dot per input or neuron per ~10 ms bin with at least one spike (rows: UP, DOWN, then the network's neurons). Charts: uPlot ${version}.</p>
<script>/* uPlot ${version} (c) Leon Sorokin, MIT licence, https://github.com/leeoniya/uPlot */
${library}</script>
<script>
"use strict";
(function () {
  var WINDOW_S = 10;
  var view = { points: 0, rasterPoints: 0, draws: 0, drawsPerSecond: 0, messages: 0, hr: null, quality: null, ended: false, signal: null, devices: 0 };
  window.liveView = view;
  var hello = null, latest = 0, dirty = false, pending = 0;
  // Playhead: the right edge of the charts. Data comes in bursts (a replay at 1x sends a chunk of
  // 512 samples every 1.4 s); the playhead moves on every animation frame at the rate the stream
  // has been arriving (seconds of signal per wall second), trailing the newest data, so the
  // charts scroll smoothly instead of jumping once per chunk.
  var playT = 0, playWall = 0, arrivals = [];
  var sx = [], sy = [];            // decimated signal, seconds / unit
  var fx = [], fin = [], fneu = []; // spike rates, two points per frame (a step)
  var rx = [], ry = [], rows = null; // raster: bin start times, one array per row (its y or null)
  var beats = [], dets = [], gaps = [];
  var el = function (id) { return document.getElementById(id); };
  var statusEl = el('status'), hrEl = el('hr'), chartEl = el('signal-chart');

  function setStatus(state, text) { statusEl.dataset.state = state; statusEl.textContent = text || state; }
  function xRange() { var hi = Math.max(WINDOW_S, playT); return [hi - WINDOW_S, hi]; }
  function arrived() {
    var now = performance.now(), last = arrivals[arrivals.length - 1];
    // Messages of one burst (a frame's signal, its events) count as one arrival.
    if (last !== undefined && now - last[0] < 20) last[1] = latest;
    else arrivals.push([now, latest]);
    while (arrivals.length > 2 && now - arrivals[0][0] > 5000) arrivals.shift();
  }
  /** Seconds of signal per wall second over the last ~5 s of arrivals (0 until known). */
  function streamRate() {
    if (arrivals.length < 3) return 0;
    var a = arrivals[0], b = arrivals[arrivals.length - 1];
    return b[0] - a[0] < 200 ? 0 : (b[1] - a[1]) / ((b[0] - a[0]) / 1000);
  }
  /** The largest step of signal one arrival brought lately: how far the playhead trails. */
  function burst() {
    var m = 0;
    for (var i = 1; i < arrivals.length; i++) m = Math.max(m, arrivals[i][1] - arrivals[i - 1][1]);
    return m;
  }
  function advance(now) {
    var dt = playWall === 0 ? 0 : Math.min(0.25, (now - playWall) / 1000);
    playWall = now;
    var rate = streamRate(), before = playT;
    var target = latest - burst();
    if (rate === 0 || Math.abs(target - playT) > Math.max(1, 3 * burst())) playT = Math.max(playT, target);
    else playT += rate * dt + 0.5 * (target - playT) * dt;
    playT = Math.min(playT, latest);
    return playT !== before;
  }
  function width() { return Math.max(300, document.body.clientWidth - 4); }

  function markers(u) {
    var ctx = u.ctx, top = u.bbox.top, h = u.bbox.height, r = devicePixelRatio || 1;
    ctx.save();
    ctx.beginPath(); ctx.rect(u.bbox.left, top, u.bbox.width, h); ctx.clip();
    ctx.fillStyle = 'rgba(220,60,60,0.18)';
    gaps.forEach(function (g) {
      var a = u.valToPos(g[0], 'x', true), b = u.valToPos(g[1], 'x', true);
      ctx.fillRect(a, top, Math.max(2 * r, b - a), h);
    });
    ctx.strokeStyle = 'rgba(200,40,40,0.8)'; ctx.lineWidth = r;
    beats.forEach(function (t) {
      var x = u.valToPos(t, 'x', true);
      ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + 8 * r); ctx.stroke();
    });
    ctx.fillStyle = 'rgba(60,60,200,0.12)'; ctx.font = (14 * r) + 'px sans-serif';
    dets.forEach(function (d) {
      var a = u.valToPos(d.at, 'x', true), b = u.valToPos(d.end, 'x', true);
      ctx.fillRect(a, top, Math.max(2 * r, b - a), h);
      ctx.fillStyle = '#224'; ctx.fillText(d.label, a + 3 * r, top + 16 * r); ctx.fillStyle = 'rgba(60,60,200,0.12)';
    });
    ctx.restore();
  }

  var signalPlot = null, spikePlot = null, rasterPlot = null;
  var ROW_COLOURS = ['#d07a00', '#7a4fb0', '#2a8a2a', '#1f5fa8', '#c03030', '#008080'];
  /** The raster: one points-only series per row, row 0 at the top, on the signal chart's time axis. */
  function makeRaster() {
    if (rasterPlot) rasterPlot.destroy();
    var n = rows.length;
    var series = [{}];
    rows.forEach(function (name, i) {
      var c = ROW_COLOURS[i % ROW_COLOURS.length];
      series.push({ label: name, stroke: c, paths: function () { return null; }, points: { show: true, size: 5, width: 0, fill: c, stroke: c } });
    });
    rasterPlot = new uPlot({
      width: width(), height: 40 + 24 * n, legend: { show: false }, cursor: { show: false },
      scales: { x: { time: false, range: function () { return xRange(); } }, y: { range: [-0.5, n - 0.5] } },
      // Labelled and sized as the signal chart's y axis, so both plot areas span the same x pixels.
      axes: [{ label: 'seconds' }, { label: 'spikes', size: 60, splits: function () { return rows.map(function (_, i) { return i; }); },
        values: function (u, splits) { return splits.map(function (v) { return rows[n - 1 - v] || ''; }); } }],
      series: series,
    }, [rx].concat(ry), el('raster-chart'));
  }
  function onRaster(m) {
    if (rows === null || rows.join() !== m.rows.join()) {
      rows = m.rows; rx.length = 0; ry = rows.map(function () { return []; });
      makeRaster();
    }
    var n = rows.length, c = m.c, last = -1;
    for (var k = 0; k + 2 < c.length; k += 3) {
      if (c[k] !== last) {
        last = c[k]; rx.push(m.t0 + last * m.dt);
        for (var r = 0; r < n; r++) ry[r].push(null);
      }
      ry[c[k + 1]][rx.length - 1] = n - 1 - c[k + 1];
    }
    view.rasterPoints += c.length / 3;
    el('raster-chart').dataset.points = String(view.rasterPoints);
  }
  function makeCharts() {
    if (signalPlot) signalPlot.destroy();
    if (spikePlot) { spikePlot.destroy(); spikePlot = null; }
    if (rasterPlot) { rasterPlot.destroy(); rasterPlot = null; }
    rows = null;
    el('spikes-chart').hidden = hello.signal === 'ecg'; el('raster-chart').hidden = hello.signal !== 'ecg';
    var x = { time: false, range: function () { return xRange(); } };
    signalPlot = new uPlot({
      width: width(), height: 260, legend: { show: false }, cursor: { show: false },
      scales: { x: x },
      axes: [{ label: 'seconds' }, { label: hello.unit, size: 60 }],
      series: [{}, { label: 'signal', stroke: '#1f5fa8', width: 1, points: { show: false } }],
      hooks: { draw: [markers] },
    }, [sx, sy], chartEl);
    if (hello.signal === 'ecg') return; // the raster chart is made when the first raster arrives
    spikePlot = new uPlot({
      width: width(), height: 160, legend: { show: true, live: false }, cursor: { show: false },
      scales: { x: x },
      axes: [{ label: 'seconds' }, { label: 'spikes / s', size: 60 }],
      series: [{},
        { label: hello.signal === 'ecg' ? 'input spikes (UP+DOWN) / s' : 'cochlea spikes / s', stroke: '#d07a00', fill: 'rgba(208,122,0,0.15)', width: 1, points: { show: false } },
        { label: (hello.signal === 'ecg' ? 'neuron' : 'hidden') + ' spikes / s', stroke: '#2a8a2a', width: 1, points: { show: false } }],
    }, [fx, fin, fneu], el('spikes-chart'));
  }

  function trim(xs, arrays) {
    var lo = latest - WINDOW_S - 2, n = 0;
    while (n < xs.length && xs[n] < lo) n++;
    if (n > 0) arrays.forEach(function (a) { a.splice(0, n); });
  }

  function reset() {
    [sx, sy, fx, fin, fneu, rx, beats, dets, gaps, arrivals].forEach(function (a) { a.length = 0; });
    latest = 0; playT = 0;
  }

  function fmt(x) { return x >= 100 ? Math.round(x).toLocaleString('en') : (Math.round(x * 10) / 10).toString(); }

  function onOut(m) {
    var e = m.event;
    if (e.type === 'hr') {
      view.hr = e.bpm; hrEl.dataset.bpm = String(e.bpm); hrEl.textContent = String(e.bpm);
    } else if (e.type === 'quality') {
      var q = el('quality'); q.dataset.state = e.state; view.quality = e.state;
      q.textContent = e.state === 'good' ? 'signal good' : e.state === 'noisy' ? 'signal noisy: beats unreliable' : 'signal flat: no ECG';
    } else if (e.type === 'hrv') {
      var h = el('hrv'); h.dataset.rmssd = e.rmssdMs === null ? '' : String(e.rmssdMs);
      h.textContent = e.rmssdMs === null ? 'HRV: too few normal beats' : 'HRV ' + Math.round(e.windowSeconds / 60 * 10) / 10 + ' min: RMSSD ' + e.rmssdMs.toFixed(1) + ' ms, SDNN ' + e.sdnnMs.toFixed(1) + ' ms' + (e.lfHf === null ? '' : ', LF/HF ' + e.lfHf.toFixed(2));
    } else if (e.type === 'rhythm') {
      var r = el('rhythm'); r.dataset.state = e.state; r.textContent = e.state === 'af' ? 'rhythm: atrial fibrillation' : 'rhythm: not AF';
    } else if (e.type === 'beat') {
      beats.push(m.at); while (beats.length > 0 && beats[0] < latest - WINDOW_S - 2) beats.shift();
    } else if (e.type === 'detection') {
      dets.push({ at: m.at, end: m.at + (e.end - e.t), label: e.label }); while (dets.length > 20) dets.shift();
      var li = document.createElement('li');
      li.innerHTML = '<b></b> <span></span>';
      li.firstChild.textContent = e.label;
      li.lastChild.textContent = Math.round(e.score * 100) + '% at ' + m.at.toFixed(1) + ' s';
      var list = el('detections'); list.insertBefore(li, list.firstChild);
      while (list.children.length > 8) list.removeChild(list.lastChild);
    } else if (e.type === 'status') {
      setStatus(e.state, 'device ' + e.state);
    } else if (e.type === 'gap') {
      gaps.push([m.at, m.at + (m.seconds || 0)]);
      var g = el('gaps'); g.dataset.gaps = String(Number(g.dataset.gaps) + 1); g.dataset.missing = String(Number(g.dataset.missing) + e.missing);
      g.textContent = g.dataset.gaps + ' gaps, ' + g.dataset.missing + ' samples missing';
    } else if (e.type === 'dropped') {
      setStatus('reconnecting', 'pipeline behind: ' + e.bytes + ' bytes dropped');
    }
  }

  // Fleet mode: the rows of the latest snapshot, and when it came (ages count on between snapshots).
  var fleet = { nowMs: 0, at: 0, rows: [] };
  /** A cell with its text (never HTML: device ids and words come from the network). */
  function cell(tr, name, text) {
    var td = document.createElement('td'); td.className = name; td.textContent = text; tr.appendChild(td); return td;
  }
  function ageSeconds(row) { return Math.max(0, Math.floor((fleet.nowMs - row.lastSeenMs + performance.now() - fleet.at) / 1000)); }
  function onFleet(m) {
    fleet = { nowMs: m.nowMs, at: performance.now(), rows: m.rows };
    var body = el('fleet-rows'), rowsEl = document.createDocumentFragment();
    m.rows.forEach(function (r) {
      var tr = document.createElement('tr'); tr.dataset.device = r.deviceId;
      cell(tr, 'device', r.deviceId);
      var state = document.createElement('span'); state.className = 'state'; state.dataset.state = r.status || ''; state.textContent = r.status || '–';
      cell(tr, 'status', '').appendChild(state);
      cell(tr, 'bpm', r.bpm === null ? '–' : String(r.bpm)).dataset.bpm = r.bpm === null ? '' : String(r.bpm);
      var quality = document.createElement('span'); quality.className = 'state'; quality.dataset.state = r.quality || ''; quality.textContent = (r.quality || '–') + (r.rhythm === 'af' ? ' / AF' : '');
      cell(tr, 'quality', '').appendChild(quality);
      cell(tr, 'beats', String(r.beats));
      cell(tr, 'words', r.words.join(' '));
      cell(tr, 'age', String(ageSeconds(r)));
      cell(tr, 'finished', r.finished ? 'finished' : '');
      rowsEl.appendChild(tr);
    });
    body.replaceChildren(rowsEl);
    view.devices = m.rows.length;
    el('fleet-note').textContent = m.rows.length === 0 ? 'no device yet' : m.rows.length + (m.rows.length === 1 ? ' device' : ' devices');
  }
  function tickAges() {
    var cells = document.querySelectorAll('#fleet-rows td.age');
    for (var i = 0; i < cells.length && i < fleet.rows.length; i++) cells[i].textContent = String(ageSeconds(fleet.rows[i]));
  }
  if (document.body.dataset.mode === 'fleet') setInterval(tickAges, 1000);

  function onMessage(m) {
    view.messages++;
    if (m.type === 'hello' && m.view === 'fleet') {
      el('title').textContent = m.title;
      if (statusEl.dataset.state === 'connecting' || statusEl.dataset.state === 'view-lost') setStatus('streaming');
    } else if (m.type === 'fleet') {
      onFleet(m);
    } else if (m.type === 'hello') {
      hello = m; view.signal = m.signal; WINDOW_S = m.historySeconds; reset();
      el('title').textContent = m.title;
      el('hr-box').hidden = m.signal !== 'ecg';
      el('detections').hidden = m.signal === 'ecg';
      el('c-window').textContent = String(m.counterWindowSeconds); el('c-pj').textContent = String(m.picojoulePerAccumulate);
      if (statusEl.dataset.state === 'connecting' || statusEl.dataset.state === 'view-lost') setStatus('streaming');
      makeCharts();
    } else if (m.type === 'signal') {
      for (var i = 0; i < m.v.length; i++) { sx.push(m.t0 + i * m.dt); sy.push(m.v[i] * hello.scale); }
      pending += m.v.length;
      latest = Math.max(latest, m.t0 + m.v.length * m.dt);
      arrived();
    } else if (m.type === 'frame') {
      var d = m.t1 - m.t0;
      if (d > 0) { fx.push(m.t0, m.t1); fin.push(m.spikesIn / d, m.spikesIn / d); fneu.push(m.neuronSpikes / d, m.neuronSpikes / d); }
      latest = Math.max(latest, m.t1);
      var c = m.counters;
      el('c-spikes-in').textContent = fmt(c.spikesInPerSecond); el('c-neuron-spikes').textContent = fmt(c.neuronSpikesPerSecond);
      el('c-synops').textContent = fmt(c.synapticOpsPerSecond); el('c-updates').textContent = fmt(c.neuronUpdatesPerSecond);
      el('c-power').textContent = fmt(c.nanowatts);
    } else if (m.type === 'raster') {
      onRaster(m);
    } else if (m.type === 'out') {
      onOut(m);
    } else if (m.type === 'end') {
      view.ended = true; setStatus('ended', 'stream ended'); source.close();
    }
    dirty = true;
  }

  var source = new EventSource('events');
  source.onmessage = function (e) { onMessage(JSON.parse(e.data)); };
  source.onerror = function () { if (!view.ended) setStatus('view-lost', 'view: reconnecting…'); };

  var drawsAt = performance.now(), drawsThen = 0;
  function frameLoop(now) {
    var moved = advance(now);
    if ((dirty || moved) && signalPlot) {
      if (dirty) {
        trim(sx, [sx, sy]); trim(fx, [fx, fin, fneu]); trim(rx, [rx].concat(ry));
        signalPlot.setData([sx, sy]);
        if (spikePlot) spikePlot.setData([fx, fin, fneu]);
        if (rasterPlot) rasterPlot.setData([rx].concat(ry));
        view.points += pending; pending = 0;
      } else {
        var r = xRange();
        signalPlot.setScale('x', { min: r[0], max: r[1] });
        if (spikePlot) spikePlot.setScale('x', { min: r[0], max: r[1] });
        if (rasterPlot) rasterPlot.setScale('x', { min: r[0], max: r[1] });
      }
      dirty = false;
      view.draws++;
      chartEl.dataset.points = String(view.points); chartEl.dataset.draws = String(view.draws);
    }
    if (now - drawsAt >= 1000) {
      view.drawsPerSecond = Math.round((view.draws - drawsThen) * 1000 / (now - drawsAt));
      el('c-page').textContent = 'page ' + view.drawsPerSecond + ' draws/s';
      drawsAt = now; drawsThen = view.draws;
    }
    requestAnimationFrame(frameLoop);
  }
  requestAnimationFrame(frameLoop);
  addEventListener('resize', function () {
    if (signalPlot) signalPlot.setSize({ width: width(), height: 260 });
    if (spikePlot) spikePlot.setSize({ width: width(), height: 160 });
    if (rasterPlot) rasterPlot.setSize({ width: width(), height: 40 + 24 * rows.length });
  });
})();
</script>
</body>
</html>
`;
}
