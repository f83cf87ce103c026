/**
 * The localisation story's texts, and English back for every other story: setStrings() is
 * page-wide and Storybook renders every story in one page, so the preview's decorator sets each
 * story's texts (parameters.strings) or puts these keys back to English.
 */
import { msg, setStrings, type StringKey } from '../../components/core/l10n.ts';

export const SPANISH: Partial<Record<StringKey, string>> = {
  'feed.label': 'Actividad de leads',
  'feed.empty': 'Todavía no hay actividad. Los eventos nuevos aparecerán aquí.',
  'feed.pause': 'Pausar',
  'feed.resume': 'Reanudar',
  'feed.loading': 'Conectando…',
  'feed.retry': 'Reintentar',
  'status.connecting': 'Conectando…',
  'status.live': 'En vivo',
  'status.reconnecting': 'Reconectando…',
  'status.offline': 'Sin conexión',
  'status.unauthorised': 'Sin autorización',
  'theme.label': 'Tema',
  'theme.auto': 'Automático',
  'theme.light': 'Claro',
  'theme.dark': 'Oscuro',
  'theme.high-contrast': 'Alto contraste',
  'export.label': 'Exportar',
};

const english = Object.fromEntries(Object.keys(SPANISH).map((key) => [key, msg(key as StringKey)])) as Partial<Record<StringKey, string>>;

/** The story's own texts, or English for the keys a story may have changed. */
export function storyStrings(strings: Partial<Record<StringKey, string>> | undefined): void {
  setStrings(strings ?? english);
}
