/**
 * The proposal registry. Each interface is one file exporting its `declaration` (signature,
 * structs, semantics) and its `encoder`; adding one is a new file and a line here.
 */
import type { Encoder } from '../../src/encode/types.js';
import type { ProposalDecl } from '../../src/proposal/types.js';
import * as clone from './clone.js';
import * as cloneWithPids from './clone_with_pids.js';
import * as cloneExtendedFlags from './clone_extended_flags.js';
import * as cloneExtendedFlagsReg from './clone_extended_flags_reg.js';
import * as cloneExtendedInfo from './clone_extended_info.js';
import * as eclone from './eclone.js';
import * as clone3 from './clone3.js';
import * as nsLastPid from './ns_last_pid.js';

interface ProposalPlugin {
  declaration: ProposalDecl;
  encoder: Encoder;
}

const PLUGINS: readonly ProposalPlugin[] = [clone, cloneWithPids, cloneExtendedFlags, cloneExtendedFlagsReg, cloneExtendedInfo, eclone, clone3, nsLastPid];

export const PROPOSALS: readonly ProposalDecl[] = PLUGINS.map((p) => p.declaration);
// src/encode/encode.ts looks encoders up by proposal id.
export const ENCODERS: readonly Encoder[] = PLUGINS.map((p) => p.encoder);
