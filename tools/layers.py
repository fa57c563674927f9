"""Imports inside function bodies that point back up the layers: a module-level import graph of lgan, and every
import made inside a function body whose target (transitively, at module level) imports the importing module."""
import ast, sys
from pathlib import Path
root = Path(sys.argv[1] if len(sys.argv) > 1 else 'lgan')
def modname(p): return '.'.join(p.relative_to(root.parent).with_suffix('').parts).removesuffix('.__init__')
mods = {modname(p): p for p in root.rglob('*.py') if p.name != '_modidx.py'}
def resolve(mod, node):
    if isinstance(node, ast.Import): return [a.name for a in node.names]
    base = mod.split('.')[:-1] if not mods[mod].name == '__init__.py' else mod.split('.')
    if node.level: base = base[:len(base) - node.level + 1]; target = '.'.join(base + ([node.module] if node.module else []))
    else: target = node.module
    return [target] + [f'{target}.{a.name}' for a in node.names]
top, inner = {m: set() for m in mods}, []
for m, p in mods.items():
    tree = ast.parse(p.read_text())
    funcs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    in_func = {id(x) for f in funcs for x in ast.walk(f) if isinstance(x, (ast.Import, ast.ImportFrom))}
    for n in ast.walk(tree):
        if isinstance(n, (ast.Import, ast.ImportFrom)):
            ts = [t for t in resolve(m, n) if t in mods]
            if id(n) in in_func: inner += [(m, t, n.lineno) for t in ts]
            else: top[m] |= set(ts)
def group(m):   # a room: lgan.train.*, lgan.data.*, lgan.models.*, lgan.lab.* are one layer each; any other module is its own
    parts = m.split('.')
    return '.'.join(parts[:2]) if len(parts) > 2 or (len(parts) == 2 and parts[1] in ('train', 'data', 'models', 'lab')) else m
gtop = {}
for m, ts in top.items(): gtop.setdefault(group(m), set()).update(group(t) for t in ts if group(t) != group(m))
def reach(a, top=gtop):
    seen, todo = set(), [a]
    while todo:
        x = todo.pop()
        for y in top.get(x, ()):
            if y not in seen: seen.add(y); todo.append(y)
    return seen
bad = [(m, t, l) for m, t, l in inner if group(m) != group(t) and group(m) in reach(group(t))]
for m, t, l in bad: print(f"{mods[m]}:{l}: {m} imports {t} inside a function, while {group(t)} imports {group(m)} (at module level)")
cyc = [g for g in gtop if g in reach(g)]
print(f"{len(inner)} imports inside function bodies; {len(bad)} point back up; module-level cycles: {cyc or 'none'}")
sys.exit(1 if bad or cyc else 0)
