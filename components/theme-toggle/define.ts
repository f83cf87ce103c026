import { define } from '../core/define.ts';
import { ThemeToggle } from './theme-toggle.ts';

define('theme-toggle', ThemeToggle);
export { ThemeToggle };
export type { ThemeChangeDetail } from './events.ts';
export type { StreamEvent } from '../../protocol/index.ts';
