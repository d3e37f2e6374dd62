/** The rule registry: a new rule is one new file and one line here. Ordered by rule id. */
import type { Rule } from '../types.js';
import { advisoryRules } from './advisory.js';
import { rule as sc03 } from './sc03-flags-argument.js';
import { rule as sc04 } from './sc04-unknown-flags.js';
import { rule as sc05 } from './sc05-struct-by-pointer.js';
import { rule as sc06 } from './sc06-append-only.js';
import { rule as sc07 } from './sc07-copy-struct.js';
import { rule as sc08 } from './sc08-size-versions.js';
import { rule as sc10 } from './sc10-validate-fields.js';
import { rule as sc16 } from './sc16-even-pairs.js';
import { rule as sc17 } from './sc17-six-slots.js';
import { rule as sc18 } from './sc18-compat-entry.js';
import { rule as sc19 } from './sc19-compat-free-layout.js';
import { rule as sc20 } from './sc20-no-implicit-padding.js';
import { rule as sc21 } from './sc21-no-register-sized.js';
import { rule as sc22 } from './sc22-no-plain-char.js';
import { rule as sc24 } from './sc24-no-long-bitmaps.js';
import { rule as sc25 } from './sc25-x32-entry.js';
import { rule as sc29 } from './sc29-exact-set-size.js';

const ruleNumber = (r: Rule) => Number(r.id.slice(3));

export const RULES: readonly Rule[] = [sc03, sc04, sc05, sc06, sc07, sc08, sc10, sc16, sc17, sc18, sc19, sc20, sc21, sc22, sc24, sc25, sc29, ...advisoryRules].sort((a, b) => ruleNumber(a) - ruleNumber(b));
