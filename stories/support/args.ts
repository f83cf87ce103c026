/**
 * Story args onto the element: every arg that names a settable property of the element is set
 * on it, so each control of the API table (built from custom-elements.json) changes the element,
 * whichever attributes the story's template happens to bind.
 */
import { noChange } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';

/** Whether `key` is a property of `element` a page may set (a field or an accessor with a setter). */
export function settable(element: object, key: string): boolean {
  for (let proto: object | null = element; proto; proto = Object.getPrototypeOf(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, key);
    if (descriptor) return descriptor.writable === true || descriptor.set !== undefined;
  }
  return false;
}

class ApplyArgs extends Directive {
  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('applyArgs() belongs on an element: <activity-feed ${applyArgs(args)}>');
  }

  render(_args: Readonly<Record<string, unknown>>) {
    return noChange;
  }

  override update(part: ElementPart, [args]: [Readonly<Record<string, unknown>>]) {
    const element = part.element as Element & Record<string, unknown>;
    for (const [key, value] of Object.entries(args)) {
      if (value !== undefined && settable(element, key) && element[key] !== value) element[key] = value;
    }
    return noChange;
  }
}

export const applyArgs = directive(ApplyArgs);
