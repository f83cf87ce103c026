import { define } from '../core/define.ts';
import { ThemeToggle } from './theme-toggle.ts';

define('theme-toggle', ThemeToggle);
export { ThemeToggle };
