#!/usr/bin/env python3
"""Attribute async-profiler's collapsed stacks to the kernels and layers of an AutoInt step.

Usage: tools/profile_parts.py collapsed-cpu.csv [--top N]

Each line of the input is `frame;frame;...;frame COUNT` (root first). For each stack it finds the innermost frame
in dev.autoint.core.internal (the kernel or layer loop that was running; JDK and Vector API frames inlined into it
are counted for it) and the innermost frame in dev.autoint.core.internal.engine (the layer call site), and prints
the share of samples of each. tools/profile.sh produces the input; tools/jfr_parts.py does the same for a JFR
recording.
"""
import collections, sys

def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    top_n = int(sys.argv[sys.argv.index('--top') + 1]) if '--top' in sys.argv else 20
    kernel, site = collections.Counter(), collections.Counter()
    total = 0
    with open(sys.argv[1]) as f:
        for line in f:
            stack, _, count = line.rstrip('\n').rpartition(' ')
            if not stack:
                continue
            n = int(count)
            total += n
            frames = [fr.replace('/', '.').removesuffix('_[j]').removesuffix('_[i]') for fr in stack.split(';')]
            k = next((fr for fr in reversed(frames) if fr.startswith('dev.autoint.core.internal.')), 'outside the library')
            s = next((fr for fr in reversed(frames) if fr.startswith('dev.autoint.core.internal.engine.')), 'outside the engine')
            kernel[k.removeprefix('dev.autoint.core.internal.')] += n
            site[s.removeprefix('dev.autoint.core.internal.engine.')] += n
    if total == 0:
        sys.exit(f'{sys.argv[1]}: no samples')
    print(f'{total} samples')
    for title, c in (('innermost library frame (kernel or layer loop)', kernel), ('engine call site', site)):
        print(f'\n{title}:')
        for k, v in c.most_common(top_n):
            print(f'  {100.0 * v / total:5.1f}%  {k}')

main()
