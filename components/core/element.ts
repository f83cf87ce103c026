/**
 * The base of every Leadwire widget: design tokens and base styles, the widget's group (shared
 * filters, theme, connection), the resolved theme reflected as `data-theme` for the tokens, and
 * the gateway attributes any widget may carry for its group.
 */
import { LitElement, type CSSResult, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { GroupController, type GroupKey, type GroupStore } from './store.ts';
import { baseStyles } from './tokens.ts';

/**
 * Adds the styles of a part loaded later (a lazy chunk) beside those Lit already adopted into
 * a widget's shadow root; a `<style>` where constructable sheets are unavailable, as Lit does.
 */
export function adoptStyles(root: ShadowRoot, styles: CSSResult): void {
  const sheet = styles.styleSheet;
  if (sheet) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  else root.append(Object.assign(document.createElement('style'), { textContent: styles.cssText }));
}

export class LeadwireElement extends LitElement {
  static override styles = [baseStyles];
  /** The group changes a widget re-renders for; `theme` is handled here for all. */
  static groupKeys: readonly GroupKey[] = ['theme'];

  /** Widgets with the same group name share filters, theme and the gateway connection. */
  @property({ reflect: true }) group: string | null = null;
  /** Gateway base URL (https://…); sets the group's connection. */
  @property() gateway: string | null = null;
  /** A gateway token (JWT). Prefer `token-url` for tokens that expire. */
  @property() token: string | null = null;
  /** A URL answering a fresh token, fetched with the page's credentials and before expiry. */
  @property({ attribute: 'token-url' }) tokenUrl: string | null = null;

  protected readonly groupController = new GroupController(
    this,
    (this.constructor as typeof LeadwireElement).groupKeys,
    (key, store) => this.groupChanged(key, store),
  );

  get store(): GroupStore {
    return this.groupController.store;
  }

  /** A group key changed (and once for each key when the group is first resolved). */
  protected groupChanged(key: GroupKey, store: GroupStore): void {
    if (key === 'theme') this.dataset.theme = store.theme;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('group')) this.groupController.resolve();
    if ((changed.has('gateway') || changed.has('token') || changed.has('tokenUrl') || changed.has('group')) && this.gateway) {
      this.store.configureGateway({
        url: this.gateway,
        token: this.token ?? undefined,
        tokenUrl: this.tokenUrl ?? undefined,
      });
    }
  }
}
