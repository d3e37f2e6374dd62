/** The automated ABI review (issue 3): rules SC-nn over declarations and layouts. */
export { review, reviewJson, type ReviewOptions, type ReviewReport } from './engine.js';
export { buildContext, type ReviewContext } from './context.js';
export { deriveFacts, type InterfaceFacts } from './facts.js';
export { RULES } from './rules/index.js';
export { reviewText } from './text.js';
export { fixedWidthRewrite, renderStruct, structFix } from './fix.js';
export { compatReasons, type CompatCase, type CompatReason } from './compat.js';
export type { Finding, Rule, Severity, Verdict } from './types.js';
