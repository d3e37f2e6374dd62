/** Placeholder replaced below. */
import type { GenericSemantics } from '../encode/generic-plan.js';
const registered = new Map<string, GenericSemantics>();
export function registerGenericDecoder(id: string, sem: GenericSemantics): void {
  registered.set(id, sem);
}
export const genericSemanticsOf = (id: string) => registered.get(id);
