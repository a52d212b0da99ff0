import json, sys, copy
# exc.py NAME k memShift E_frac Tmul [cand]
name,k,ms,ef,tm=sys.argv[1],int(sys.argv[2]),int(sys.argv[3]),float(sys.argv[4]),float(sys.argv[5])
d=json.load(open('src/snn/networks/ecg-beat.json'))
W=4096
N={n['name']:n for n in d['neurons']}
q=N['qrs']; c=N['cand']
q['threshold']=round(q['threshold']*tm); c['threshold']=round(c['threshold']*tm)
q['membraneMin']=round(q['membraneMin']*tm); c['membraneMin']=round(c['membraneMin']*tm)
E=round(ef*q['threshold'])
def ws(e):
    s=0
    while abs(round(e))>127: e/=2; s+=1
    return dict(weight=round(e),shift=s)
for nm,a,b in [('rise','up','down'),('fall','down','up')]:
    d['neurons'].append(dict(name=nm,threshold=k*W,memShift=ms,excShift=0,inhShift=0,membraneMin=0,reset='zero'))
    d['synapses'].append(dict({'from':a,'to':nm},**ws(W)))
    d['synapses'].append(dict({'from':b,'to':nm},**ws(-(2**20))))
    for t in ['qrs','cand']:
        d['synapses'].append(dict({'from':nm,'to':t,'delayTicks':1},**ws(E)))
d['meta']['proto']={'exc':sys.argv[1:]}
json.dump(d,open(f'scratch/n_{name}.json','w'))
print(f'scratch/n_{name}.json')
