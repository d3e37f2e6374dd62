/**
 * Requirement (1): "do everything clone() does today", one row per thing clone() carries. Each
 * is asked of the encoder on every ABI: the value must be accepted and change the user image.
 */
import type { TargetAbi } from '../../ctype/target.js';
import type { CloneRequest } from '../../request/types.js';
import { acrossTargets, carried } from './probe.js';
import { ADDR, EMPTY, EXIT_SIGNAL, LEGACY_FLAGS, stackParts } from './requests.js';
import type { Requirement, Subject } from './types.js';

type Probe = (s: Subject, t: TargetAbi) => { parts: Partial<CloneRequest>; what: string };

const row = (id: string, label: string, title: string, probe: Probe): Requirement => ({
  id: `1.${id}`,
  parent: '1',
  label,
  title,
  evaluate: (s) =>
    acrossTargets(s, (t) => {
      const { parts, what } = probe(s, t);
      return carried(s, t, EMPTY, parts, what);
    }),
});

const fixed = (parts: Partial<CloneRequest>, what: string): Probe => () => ({ parts, what });

export const REQUIREMENTS: Requirement[] = [
  { id: '1', label: '(1) everything clone() does', title: 'do everything clone() does today' },
  row('flags', 'flag bits 8-31', 'every flag bit clone() reads (bits 8-31; the low byte is the exit signal)', fixed({ flags: LEGACY_FLAGS }, "all 24 of clone()'s flag bits")),
  row('exit-signal', 'exit signal', 'the exit signal sent to the parent', fixed({ exitSignal: EXIT_SIGNAL }, 'the exit signal')),
  row('stack', 'child stack', "the child's stack (a pointer, or an area of a given size)", (s, t) => {
    const cap = s.encoder.capacity(t, s.rp);
    return { parts: stackParts(cap), what: cap.carries.stackSize ? 'the stack area (lowest address and size)' : 'the stack pointer' };
  }),
  row('parent-tid', 'parent tid pointer', "where the parent gets the child's tid (CLONE_PARENT_SETTID)", fixed({ parentTid: ADDR.parentTid }, 'the parent tid pointer')),
  row('child-tid', 'child tid pointer', 'the child tid pointer (CLONE_CHILD_SETTID, CLONE_CHILD_CLEARTID)', fixed({ childTid: ADDR.childTid }, 'the child tid pointer')),
  row('tls', 'TLS', 'the TLS value (CLONE_SETTLS)', fixed({ tls: ADDR.tls }, 'the TLS value')),
];
