/**
 * React wrappers for the widgets, through `@lit/react`: properties are set as properties (rows,
 * filters, …), and each event gets a typed `on…` prop whose argument is the event's type from
 * `HTMLElementEventMap` (where every widget declares its events).
 */
import { createComponent, type EventName, type ReactWebComponent, type WebComponentProps } from '@lit/react';
import * as React from 'react';

/** React prop name → DOM event name, e.g. `{ onNewEvent: 'lw-new-event' }`. */
export type EventProps = Record<string, keyof HTMLElementEventMap>;

type TypedEvents<E extends EventProps> = { [P in keyof E]: EventName<HTMLElementEventMap[E[P]]> };

/**
 * Props of the bare tag in React 19 JSX: React 19 sets known properties as properties and
 * `on<event-name>` props as listeners of that exact event name (`onnew-event`).
 */
export type TagProps<I extends HTMLElement, E extends EventProps> = WebComponentProps<I> & {
  [P in keyof E as `on${E[P]}`]?: (event: HTMLElementEventMap[E[P]]) => void;
};

/** A widget's React component: its properties and attributes as props, plus the `on…` props. */
export type Wrapper<I extends HTMLElement, E extends EventProps> = ReactWebComponent<I, TypedEvents<E>>;

/** The wrapper component of one widget; register the tag before rendering it. */
export function wrap<I extends HTMLElement, E extends EventProps>(
  tagName: string,
  elementClass: new () => I,
  events: E,
  displayName: string,
): Wrapper<I, E> {
  return createComponent({ react: React, tagName, elementClass, events: events as unknown as TypedEvents<E>, displayName });
}
