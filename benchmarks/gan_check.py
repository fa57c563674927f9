"""Time lgan's GAN training step and run a short GAN phase; prints figures and writes them as JSON.

    python benchmarks/gan_check.py --out results/gan_check            # CPU or GPU, whatever get_device picks
    python benchmarks/gan_check.py --presets paper64 --train-images 192000 --out $OUT

(a) images/s of one G+D step (hinge, MI, binarization, perturbation) for each preset, fp32 and, on CUDA, bf16 autocast;
(b) a short GAN phase of the `demo` preset on the embedded synthetic set: mask coverage vs the true foreground fraction,
    and the sample grid.
"""
import argparse, json, platform, shutil, time
from pathlib import Path
import torch
from lgan.core import get_device, seed_everything
from lgan.config import make_config
from lgan.train.gan import GANTrainer, train_gan, read_stats


def time_step(preset, amp, device, steps, warmup=5):
    cfg = make_config(preset, [f'gan.amp={amp}'])
    seed_everything(0)
    tr = GANTrainer(cfg, device)
    B, r = cfg.gan.batch, cfg.data.res
    real = torch.rand(B, 3, r, r, device=tr.device) * 2 - 1
    for _ in range(warmup): tr.train_step(real)
    if tr.device.type == 'cuda': torch.cuda.synchronize()
    t = time.perf_counter()
    for _ in range(steps): parts = tr.train_step(real)
    if tr.device.type == 'cuda': torch.cuda.synchronize()
    dt = time.perf_counter() - t
    return {'preset': preset, 'res': r, 'batch': B, 'amp': bool(tr.amp), 'steps': steps,
            'img_per_s': round(B * steps / dt, 1), 'ms_per_step': round(1000 * dt / steps, 2),
            'g_total': float(parts['g_total']), 'd_total': float(parts['d_total'])}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', default='results/gan_check')
    ap.add_argument('--presets', default='demo,paper64')
    ap.add_argument('--steps', type=int, default=20)
    ap.add_argument('--train-images', type=int, default=0, help='images for the short demo GAN phase (0: skip)')
    ap.add_argument('--device', default=None)
    ap.add_argument('--work', default=None, help='folder for the synthetic set, cache and run (default: under --out)')
    a = ap.parse_args()
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    dev = get_device(a.device)
    info = {'device': torch.cuda.get_device_name(dev) if dev.type == 'cuda' else platform.processor() or 'cpu',
            'torch': torch.__version__, 'threads': torch.get_num_threads()}
    print(info, flush=True)
    rows = []
    for p in a.presets.split(','):
        for amp in ([False, True] if dev.type == 'cuda' else [False]):
            rows.append(time_step(p, amp, dev, a.steps)); print(rows[-1], flush=True)
    res = {'info': info, 'step': rows}
    if a.train_images:
        work = Path(a.work or out)
        cfg = make_config('demo', [f'gan.n_images={a.train_images}', f'gan.sample_every={a.train_images // 4}',
                                   f'gan.ckpt_every={a.train_images}', f'data.synthetic_root={work}/synthetic',
                                   f'data.cache_dir={work}/cache', f'device={dev}'])
        t = time.time()
        run = train_gan(cfg, work/'run', progress=False)
        st = read_stats(run.stats_path)
        meta = json.loads((work/'synthetic'/'train'/'meta.json').read_text())
        grids = sorted((work/'run'/'samples').glob('*.png'))
        if grids: shutil.copy(grids[-1], out/'grid.png')
        shutil.copy(run.stats_path, out/'stats.jsonl')
        res['train'] = {'images': st[-1]['images'], 'seconds': round(time.time() - t, 1), 'coverage': st[-1]['coverage'],
                        'coverage_bin': st[-1]['coverage_bin'], 'true_fg_fraction': meta['mean_fg_fraction'],
                        'img_per_s': st[-1]['img_per_s'],
                        'coverage_curve': [(r['images'], round(r['coverage'], 4)) for r in st[::max(1, len(st) // 20)]]}
        print(res['train'], flush=True)
    (out/'gan_check.json').write_text(json.dumps(res, indent=1))


if __name__ == '__main__':
    main()
