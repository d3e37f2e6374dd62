/**
 * Requirement (2): "give application an ability to choose pids for the child process in all
 * ancestor pid namespaces". Asked of the encoder with pids chosen at the caller's own level, at
 * every level from the root down (at depth 3, and at the deepest nesting the kernel allows), and
 * in a pid namespace created by the same call; the privilege comes from the declaration.
 */
import type { TargetAbi } from '../../ctype/target.js';
import type { CloneRequest, PidChoice } from '../../request/types.js';
import { acrossTargets, carried, cell } from './probe.js';
import { DEEPEST, DEPTH, atDepth, newNamespace, newNamespacePids, pidsAt, range } from './requests.js';
import type { Requirement, RequirementCell, Subject } from './types.js';

/** The pids of `base`'s child carried, and the race the declaration admits (ns_last_pid). */
function chosen(s: Subject, t: TargetAbi, base: CloneRequest, pids: PidChoice[], what: string): RequirementCell {
  const c = carried(s, t, base, { pids }, what);
  if (c.status === 'met' && s.decl.semantics.pids?.takenErrno === 'none')
    return cell('partly', `${c.reason}, but racy: a pid taken meanwhile is no error, the child just gets another one (the caller must check)`);
  return c;
}

const ancestors = (s: Subject, t: TargetAbi) => chosen(s, t, atDepth(), pidsAt(range(0, DEPTH)), `${DEPTH + 1} pids`);

/**
 * All levels of a caller at the deepest nesting. An interface that chooses every level at a
 * shallower depth but caps the number of pids (clone3's set_tid_size <= MAX_PID_NS_LEVEL) gets
 * the innermost ones it can: partly.
 */
function deepest(s: Subject, t: TargetAbi): RequirementCell {
  const base = atDepth(DEEPEST);
  const all = chosen(s, t, base, pidsAt(range(0, DEEPEST)), `${DEEPEST + 1} pids`);
  const max = s.decl.semantics.pids?.maxPids;
  if (all.status !== 'not met' || max === undefined || max >= DEEPEST + 1 || ancestors(s, t).status !== 'met') return all;
  const inner = chosen(s, t, base, pidsAt(range(DEEPEST + 1 - max, DEEPEST)), `${max} pids`);
  if (inner.status === 'not met') return all;
  return cell('partly', `only the innermost ${max} of the ${DEEPEST + 1} levels (${all.reason}); the outer ones get automatic pids`);
}

/**
 * Who may choose: from the declaration's `privilege`. Privilege over the initial namespace only
 * ("global") keeps a restorer inside a container from choosing pids: partly.
 */
function privilege(s: Subject): RequirementCell {
  const pids = s.decl.semantics.pids;
  if (!pids || pids.order === 'none') return cell('not met', 'it chooses no pids');
  const p = s.decl.semantics.privilege;
  if (!p) return cell('partly', 'the design does not say who may choose pids');
  if (/\bglobal\b|initial user namespace/i.test(p)) return cell('partly', `${p}: only a process privileged in the initial user namespace, so not a restorer inside a container`);
  if (/namespace/i.test(p)) return cell('met', `${p}: privilege over the namespaces concerned, so a container's own restorer can`);
  return cell('partly', `${p} (the design does not say over which namespace)`);
}

export const REQUIREMENTS: Requirement[] = [
  { id: '2', label: "(2) the child's pids", title: 'choose the child\'s pids in all ancestor pid namespaces' },
  {
    id: '2.own-level',
    parent: '2',
    label: "at the caller's own level",
    title: "a pid in the caller's own pid namespace",
    evaluate: (s) => acrossTargets(s, (t) => chosen(s, t, atDepth(), pidsAt([DEPTH]), 'the pid')),
  },
  {
    id: '2.ancestors',
    parent: '2',
    label: 'at every ancestor level',
    title: `a pid at every level from the root to the caller's (caller at depth ${DEPTH})`,
    evaluate: (s) => acrossTargets(s, (t) => ancestors(s, t)),
  },
  {
    id: '2.deepest',
    parent: '2',
    label: `at all ${DEEPEST + 1} levels (deepest)`,
    title: `a pid at every level for a caller at the deepest nesting (MAX_PID_NS_LEVEL = ${DEEPEST}: ${DEEPEST + 1} namespaces)`,
    evaluate: (s) => acrossTargets(s, (t) => deepest(s, t)),
  },
  {
    id: '2.new-namespace',
    parent: '2',
    label: 'in a pid ns made by the call',
    title: 'the pids of a child in a pid namespace created by the same call (CLONE_NEWPID), where its pid is 1',
    evaluate: (s) => acrossTargets(s, (t) => chosen(s, t, newNamespace(), newNamespacePids(), `${DEPTH + 2} pids (the new namespace's 1 included)`)),
  },
  { id: '2.privilege', parent: '2', label: 'privilege needed', title: 'the privilege choosing a pid needs', evaluate: privilege },
];
