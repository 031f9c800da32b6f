#!/usr/bin/env python3
"""Attribute JFR execution samples to the parts of an AutoInt step.

Usage: tools/jfr_parts.py RECORDING.jfr [--top N]

Reads `jfr print --json --events jdk.ExecutionSample` and prints, for each sample's top frame (the method
running) and for the engine call site it was reached from (the innermost frame in
dev.autoint.core.internal.engine, with its line), the share of samples. Needs the JDK's `jfr` tool on PATH
(or JAVA_HOME/bin/jfr). Record with -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints so that inlined
frames are attributed to their own lines.
"""
import collections, json, os, shutil, subprocess, sys

def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    top_n = 25
    if '--top' in sys.argv:
        top_n = int(sys.argv[sys.argv.index('--top') + 1])
    jfr = shutil.which('jfr') or os.path.join(os.environ.get('JAVA_HOME', '/usr'), 'bin', 'jfr')
    out = subprocess.run([jfr, 'print', '--json', '--events', 'jdk.ExecutionSample', sys.argv[1]],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(out)['recording']['events']
    top = collections.Counter()
    site = collections.Counter()
    pair = collections.Counter()
    total = 0
    for e in events:
        frames = e['values']['stackTrace']['frames']
        if not frames:
            continue
        total += 1
        def name(f):
            m = f['method']
            return m['type']['name'].replace('/', '.').split('.')[-1] + '.' + m['name']
        t = name(frames[0])
        for f in frames:  # the innermost frame of our own code: which kernel (or layer loop) runs
            if f['method']['type']['name'].replace('/', '.').startswith('dev.autoint.'):
                t = name(f) + ':' + str(f['lineNumber'])
                break
        top[t] += 1
        s = 'other'
        for f in frames:
            if f['method']['type']['name'].replace('/', '.').startswith('dev.autoint.core.internal.engine.'):
                s = name(f) + ':' + str(f['lineNumber'])
                break
        site[s] += 1
        pair[(s, t)] += 1
    print(f'{total} samples')
    for title, c in (('innermost library frame (kernel and line)', top), ('engine call site', site), ('call site → method', pair)):
        print(f'\n{title}:')
        for k, v in c.most_common(top_n):
            k = ' → '.join(k) if isinstance(k, tuple) else k
            print(f'  {100.0 * v / total:5.1f}%  {k}')

main()
