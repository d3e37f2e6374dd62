/** Where reports go when no --out is given: `clonebench report` (HTML) and `clonebench run`,
 * which writes the HTML report of the file it just wrote. */
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../native/paths.js';

export const DEFAULT_REPORT_PATH = join(PACKAGE_ROOT, 'report', 'index.html');
