"""Check the latent explorer as a user would: a real JupyterLab in headless Chromium, a slider moved with the mouse.

Not part of CI (it needs a browser). What it does:
1. writes a scratch notebook whose one cell is `explore(RUN)`, in a temporary folder;
2. starts `jupyter lab` from the repo's virtual environment on a free local port (no token);
3. opens the notebook in Debian's chromium driven by Playwright, runs the cell, waits for the widgets;
4. screenshots the explorer, drags the first public-code slider with the mouse, waits for the picture to change,
   screenshots it again, and compares the explorer's picture before and after, pixel by pixel.

Setup (once; the browser tools stay out of lgan's requirements):
    apt-get install -y chromium
    python3 -m venv /work/tools/pw-venv && /work/tools/pw-venv/bin/pip install playwright pillow numpy
Run from the repo root:
    /work/tools/pw-venv/bin/python tools/explore_screenshot.py --run runs/00002-demo-fit --out nbs/images
Without --run it trains a run of the `tiny` preset first (seconds). Exit status 0 when the picture changed.
"""
import argparse, json, os, socket, subprocess, sys, tempfile, time, urllib.request
from io import BytesIO
from pathlib import Path

import numpy as np
from PIL import Image
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
VENV = REPO/'.venv'/'bin'

def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def tiny_run(root: Path) -> Path:
    code = (f"from lgan.config import make_config; from lgan.train.alternate import fit; "
            f"print(fit(make_config('tiny', ['data.synthetic_root={root}/syn', 'alt.rounds=1']), '{root}/run', progress=False, evaluate=False))")
    subprocess.run([str(VENV/'python'), '-c', code], check=True, env=os.environ | {'OMP_NUM_THREADS': '1'})
    return root/'run'

def scratch_notebook(folder: Path, run: Path, scale: int) -> Path:
    src = f"from lgan.explore import explore\nex = explore({str(run)!r}, scale={scale}, seed=3)\nex"
    nb = {'cells': [{'cell_type': 'code', 'execution_count': None, 'id': 'explore', 'metadata': {}, 'outputs': [], 'source': src}],
          'metadata': {'kernelspec': {'display_name': 'Python 3', 'language': 'python', 'name': 'python3'}},
          'nbformat': 4, 'nbformat_minor': 5}
    p = folder/'explore.ipynb'; p.write_text(json.dumps(nb)); return p

def wait_http(url: str, timeout: float = 90):
    t0 = time.time()
    while time.time() - t0 < timeout:
        try: urllib.request.urlopen(url, timeout=2); return
        except Exception: time.sleep(0.5)
    raise TimeoutError(f"jupyter lab did not answer at {url} within {timeout:.0f} s")

def small_png(png: bytes, path: Path, limit: int = 200_000) -> Path:
    "Save a screenshot, as a palette PNG if the full-colour one is over `limit` bytes."
    im = Image.open(BytesIO(png)).convert('RGB')
    im.save(path, optimize=True)
    if path.stat().st_size > limit: im.quantize(256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    return path

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--run', default=None, help='run folder to explore (default: train a tiny one)')
    ap.add_argument('--out', default=str(REPO/'nbs'/'images'), help='folder for explore_before.png / explore_after.png')
    ap.add_argument('--chromium', default='/usr/bin/chromium')
    ap.add_argument('--scale', type=int, default=4)
    ap.add_argument('--slider', type=int, default=0, help='which public-code slider to drag (0: the first)')
    ap.add_argument('--drag', type=int, default=-60, help='pixels to drag it (negative: to the left)')
    args = ap.parse_args()
    out = Path(args.out); out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix='lgan-explore-'))
    run = Path(args.run).resolve() if args.run else tiny_run(work)
    nb = scratch_notebook(work, run, args.scale)
    port = free_port()
    log = open(work/'jupyter.log', 'w')
    lab = subprocess.Popen([str(VENV/'jupyter'), 'lab', '--no-browser', f'--port={port}', '--ip=127.0.0.1',
                            "--IdentityProvider.token=", "--ServerApp.password=", f'--ServerApp.root_dir={work}',
                            '--ServerApp.open_browser=False', '--allow-root', '--LabApp.news_url=None', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate'],
                           stdout=log, stderr=subprocess.STDOUT, env=os.environ | {'OMP_NUM_THREADS': '1'})
    result = {'run': str(run), 'notebook': str(nb), 'port': port}
    try:
        wait_http(f'http://127.0.0.1:{port}/lab')
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=args.chromium, headless=True, args=['--no-sandbox', '--disable-gpu'])
            page = browser.new_page(viewport={'width': 1300, 'height': 1700})
            page.goto(f'http://127.0.0.1:{port}/lab/tree/{nb.name}', timeout=90_000)
            page.wait_for_selector('.jp-Notebook .jp-Cell .jp-InputArea-editor', timeout=90_000)
            page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=90_000)   # the kernel is up
            page.add_style_tag(content='.Toastify { display: none !important; }')   # JupyterLab's news question would cover the picture
            page.click('.jp-Notebook .jp-Cell .jp-InputArea-editor')
            page.keyboard.press('Shift+Enter')                                      # run the cell as a user does
            view = page.locator('.jp-OutputArea-output .widget-image').first      # the explorer's main picture
            view.wait_for(timeout=120_000)
            page.wait_for_timeout(1000)
            widget = page.locator('.jp-OutputArea-output').first
            slider = page.locator('.widget-slider').nth(args.slider)
            readout = slider.locator('.widget-readout')
            info = page.locator('.jp-OutputArea-output .widget-html-content', has_text='mask mean').first
            src0, value0, info0 = view.get_attribute('src'), readout.inner_text(), info.inner_text()
            before_png, view0 = widget.screenshot(), view.screenshot()
            small_png(before_png, out/'explore_before.png')
            handle = slider.locator('.noUi-handle').first
            box = handle.bounding_box()
            x, y = box['x'] + box['width'] / 2, box['y'] + box['height'] / 2
            page.mouse.move(x, y); page.mouse.down()
            for k in range(1, 11): page.mouse.move(x + args.drag * k / 10, y); page.wait_for_timeout(30)
            page.mouse.up()
            page.wait_for_function('([el, old]) => el.getAttribute("src") !== old', arg=[view.element_handle(), src0], timeout=30_000)
            page.wait_for_timeout(1500)                                             # let the last redraw land
            value1, info1 = readout.inner_text(), info.inner_text()
            after_png, view1 = widget.screenshot(), view.screenshot()
            small_png(after_png, out/'explore_after.png')
            a, b = (np.asarray(Image.open(BytesIO(p)).convert('RGB')).astype(int) for p in (view0, view1))
            changed = a.shape == b.shape and bool((np.abs(a - b).sum(-1) > 0).any())
            result |= {'slider': slider.locator('.widget-label').first.inner_text(), 'value_before': value0, 'value_after': value1,
                       'picture_size': list(a.shape[:2]), 'changed_pixels': float((np.abs(a - b).sum(-1) > 0).mean()) if a.shape == b.shape else None,
                       'mean_abs_change': float(np.abs(a - b).mean()) if a.shape == b.shape else None,
                       'info_before': info0, 'info_after': info1,
                       'screenshots': [str(out/'explore_before.png'), str(out/'explore_after.png')], 'changed': changed}
            browser.close()
    finally:
        lab.terminate()
        try: lab.wait(20)
        except subprocess.TimeoutExpired: lab.kill()
        log.close()
    print(json.dumps(result, indent=1))
    return 0 if result.get('changed') else 1

if __name__ == '__main__': sys.exit(main())
