/**
 * The data behind `clonebench abi`: every struct of every chosen proposal laid out on every
 * chosen target, compared across targets, and the register slots of each syscall.
 */
import { layoutStruct, type StructLayout } from '../ctype/layout.js';
import { registerSized } from '../ctype/model.js';
import { accountSlots, type SlotAccount } from '../ctype/slots.js';
import type { TargetAbi } from '../ctype/target.js';
import type { ResolvedProposal } from '../registry.js';

export interface StructComparison {
  name: string;
  layouts: Record<string, StructLayout>;
  /** Same size, offsets and member sizes on every chosen target. */
  sameLayoutEverywhere: boolean;
  sameAlignEverywhere: boolean;
  /** Targets on which the struct has a hole or tail padding. */
  paddedOn: string[];
  /** Members whose size follows the register width (SC-21). */
  registerSizedMembers: Array<{ field: string; kind: 'pointer' | 'long' }>;
}

export interface ProposalAbi {
  id: string;
  title: string;
  constants: Record<string, number>;
  structs: StructComparison[];
  slots: Record<string, SlotAccount>;
}

export interface AbiReport {
  targets: string[];
  proposals: ProposalAbi[];
}

/** A key that is equal for two layouts exactly when their bytes are placed the same way. */
export const layoutShape = (l: StructLayout): string => JSON.stringify([l.size, l.fields.map((f) => [f.name, f.offset, f.size, f.nested ? layoutShape(f.nested) : null])]);

export function compareStruct(p: ResolvedProposal, name: string, targets: readonly TargetAbi[]): StructComparison {
  const decl = p.scope.structs.get(name)!;
  const layouts = Object.fromEntries(targets.map((t) => [t.id, layoutStruct(decl, t, p.scope)]));
  const all = Object.values(layouts);
  const first = all[0];
  return {
    name,
    layouts,
    sameLayoutEverywhere: all.every((l) => layoutShape(l) === layoutShape(first)),
    sameAlignEverywhere: all.every((l) => l.align === first.align),
    paddedOn: all.filter((l) => l.holes.length > 0 || l.tailPadding > 0).map((l) => l.target),
    registerSizedMembers: first.fields.flatMap((f) => {
      const kind = registerSized(f.ctype);
      return kind ? [{ field: f.name, kind }] : [];
    }),
  };
}

export function buildAbiReport(proposals: readonly ResolvedProposal[], targets: readonly TargetAbi[]): AbiReport {
  return {
    targets: targets.map((t) => t.id),
    proposals: proposals.map((p) => ({
      id: p.decl.id,
      title: p.decl.title,
      constants: p.constants,
      structs: p.decl.structs.map((s) => compareStruct(p, s.name, targets)),
      slots: Object.fromEntries(targets.map((t) => [t.id, accountSlots(p.decl.syscall, t, p.scope)])),
    })),
  };
}

/** The `--json` shape: plain numbers and names, no resolved type objects. */
export function abiReportJson(r: AbiReport) {
  return {
    targets: r.targets,
    proposals: r.proposals.map((p) => ({
      id: p.id,
      title: p.title,
      constants: p.constants,
      structs: p.structs.map((s) => ({
        name: s.name,
        sameLayoutEverywhere: s.sameLayoutEverywhere,
        sameAlignEverywhere: s.sameAlignEverywhere,
        paddedOn: s.paddedOn,
        registerSizedMembers: s.registerSizedMembers,
        layouts: Object.fromEntries(
          Object.entries(s.layouts).map(([t, l]) => [
            t,
            {
              size: l.size,
              align: l.align,
              tailPadding: l.tailPadding,
              holes: l.holes,
              fields: l.fields.map((f) => ({ name: f.name, type: f.type, offset: f.offset, size: f.size, align: f.align })),
            },
          ]),
        ),
      })),
      syscall: {
        slots: Object.fromEntries(
          Object.entries(p.slots).map(([t, a]) => [
            t,
            { name: a.syscall, slotsUsed: a.slotsUsed, paddingSlots: a.paddingSlots, stackSlots: a.stackSlots, args: a.args.map((x) => ({ arg: x.arg, slots: x.slots, locations: x.locations, paddingSlot: x.paddingSlot })) },
          ]),
        ),
      },
    })),
  };
}
