/** The proposal registry: one file per interface, one line here. */
import type { ProposalDecl } from '../../src/proposal/types.js';
import type { Encoder } from '../../src/encode/types.js';
import { declaration as clone } from './clone.js';
import { declaration as cloneWithPids } from './clone_with_pids.js';
import { declaration as cloneExtendedFlags } from './clone_extended_flags.js';
import { declaration as cloneExtendedInfo } from './clone_extended_info.js';
import { declaration as eclone } from './eclone.js';
import { declaration as clone3 } from './clone3.js';
import { declaration as nsLastPid } from './ns_last_pid.js';

export const PROPOSALS: readonly ProposalDecl[] = [clone, cloneWithPids, cloneExtendedFlags, cloneExtendedInfo, eclone, clone3, nsLastPid];

// Encoders, one line each (src/encode/encode.ts looks them up by proposal id).
import { encoder as cloneEncoder } from './clone.js';
import { encoder as cloneWithPidsEncoder } from './clone_with_pids.js';
import { encoder as cloneExtendedFlagsEncoder } from './clone_extended_flags.js';
import { encoder as cloneExtendedInfoEncoder } from './clone_extended_info.js';
import { encoder as ecloneEncoder } from './eclone.js';
import { encoder as clone3Encoder } from './clone3.js';
import { encoder as nsLastPidEncoder } from './ns_last_pid.js';

export const ENCODERS: readonly Encoder[] = [cloneEncoder, cloneWithPidsEncoder, cloneExtendedFlagsEncoder, cloneExtendedInfoEncoder, ecloneEncoder, clone3Encoder, nsLastPidEncoder];
