"""How noisy is the collapse check? Its verdict re-read with 64 and with 256 samples for finished quality runs.

    python benchmarks/collapse_noise.py                      # C+balanced's horse runs at 40,000, 80,000 and 120,000 images
    python benchmarks/collapse_noise.py runs/quality/synthetic/C+balanced-s0 --out /tmp/noise.json

For each run folder (its final GAN checkpoint): the verdict and the realism gap as `lgan.lab.recipes.quality_figures` reads
them (real images drawn with seed 0, codes with the run's seed + 1), with 64 samples (gan.collapse_n before issue 14's
session 8) and with 256 (its default since), then the gap over five more draws of each size (real images with seeds
0-4, codes with seeds 100-104): the spread one G's figure has from the samples alone. Writes one JSON.
"""
import argparse, json
from pathlib import Path

import torch

from lgan.train.gan import load_gan
from lgan.train.collapse import collapse_figures, diagnose_collapse
from lgan.eval import eval_data

RUNS = [f'runs/quality/{b}/C+balanced-s{s}' for b in ('horse32-screen', 'horse32-80k', 'horse32') for s in (0, 1, 2)]


def figures(tr, reals, n, real_seed, code_seed):
    "collapse_figures on n real images (drawn with real_seed) and n samples (codes with code_seed)."
    idx = torch.randperm(len(reals), generator=torch.Generator().manual_seed(real_seed))[:n]
    return collapse_figures(tr, reals[idx], n, seed=code_seed)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('runs', nargs='*', default=RUNS, help='finished run folders (default: the C+balanced horse runs)')
    ap.add_argument('--out', default='results/quality/collapse_n256.json')
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    out = {'what': __doc__.split('\n')[0], 'sizes': [64, 256], 'runs': {}}
    for run in a.runs:
        if not (Path(run)/'config.json').exists(): raise SystemExit(f"collapse_noise.py: {run} is not a run folder (no config.json)")
        tr = load_gan(run, device='cpu'); cfg = tr.cfg
        reals = eval_data(cfg).images.float() / 127.5 - 1
        rec = {}
        for n in (64, 256):
            fig = figures(tr, reals, n, 0, cfg.seed + 1)
            rec[f'n{n}'] = {'verdict': diagnose_collapse(fig, cfg.gan), 'gap': round(fig['gap'], 3), 'coverage_bin': round(fig['coverage_bin'], 3)}
            rec[f'gap_n{n}_draws'] = [round(figures(tr, reals, n, k, 100 + k)['gap'], 3) for k in range(5)]
        out['runs'][str(run)] = rec
        print(run, json.dumps(rec), flush=True)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(out, indent=1) + '\n')
    return out


if __name__ == '__main__': main()
