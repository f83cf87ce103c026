import type { ComponentProps } from 'react';
import { ThemeToggle as ThemeToggleElement } from '../theme-toggle/define.ts';
import { wrap, type TagProps, type Wrapper } from './wrap.ts';

const events = { onThemeChange: 'lw-theme-change' } as const;

/** `<theme-toggle>` for React (registers the tag). */
export const ThemeToggle: Wrapper<ThemeToggleElement, typeof events> = wrap('theme-toggle', ThemeToggleElement, events, 'ThemeToggle');
export type ThemeToggleProps = ComponentProps<typeof ThemeToggle>;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'theme-toggle': TagProps<ThemeToggleElement, typeof events>;
    }
  }
}
