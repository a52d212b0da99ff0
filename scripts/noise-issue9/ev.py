#!/usr/bin/env python3
"""ev.py NETFILE [--gains] [--snr 12,6,0]: summary of eval for a network file."""
import json, subprocess, sys, os
os.chdir('/work/wt-noise')
net = sys.argv[1]
gains = '--gains' in sys.argv
snr = '12,6,0'
if '--snr' in sys.argv: snr = sys.argv[sys.argv.index('--snr')+1]
extra = []
if '--rec' in sys.argv: recs = sys.argv[sys.argv.index('--rec')+1].split(',')
else: recs = None
src = ['../shared/datasets/mitdb'] if recs is None else ['../shared/datasets/mitdb/'+r for r in recs]
def run(args):
    cmd = ['npx','tsx','src/cli.ts','eval',*src,'--json'] + (['--network',net] if net!='-' else []) + args
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode: print(out.stderr); sys.exit(1)
    return json.loads(out.stdout)
def fmt(g): 
    return f"Se {100*g['sensitivity']:.2f} +P {100*g['positivePredictivity']:.2f} F1 {100*g['f1']:.2f} MAE {g['hrMaeBpm']:.2f} FP {g['fp']} FN {g['fn']}"
name = os.path.basename(net)
res = {}
d = run([])
res['rec'] = d['gross']
print(f"{name:28s} rec  : {fmt(d['gross'])}", flush=True)
if snr:
    d = run(['--noise','bw,ma','--snr',snr])
    for c in d['conditions']:
        res[c['label']] = c['gross']
        print(f"{name:28s} {c['snrDb']:>3}dB: {fmt(c['gross'])}", flush=True)
        if '--per' in sys.argv:
            print('   ', ' '.join(f"{r['record']}:{r['fp']}/{r['fn']}" for r in c['records']))
if gains:
    d = run(['--gain','0.1,0.2,0.5,1,2,5,10'])
    f1s=[]
    for c in d['conditions']:
        g=c['gross']; f1s.append(g['f1'])
        print(f"{name:28s} g{c['gain']:<4}: {fmt(g)}", flush=True)
    print(f"{name:28s} gain F1 range {100*min(f1s):.2f}-{100*max(f1s):.2f}")
