/**
 * The load baseline: five minimal Lit elements, each a shadow root with a little styled markup
 * and one reactive property — what any Lit widget suite pays before doing anything of its own.
 */
import { LitElement, css, html } from 'lit';

class BaselineWidget extends LitElement {
  static override properties = { label: { type: String } };
  static override styles = css`
    :host { display: block; font: 14px/1.4 system-ui, sans-serif; padding: 8px; border: 1px solid #ccc; border-radius: 6px; }
    button { font: inherit; padding: 4px 10px; }
  `;
  declare label: string;
  constructor() {
    super();
    this.label = this.localName;
  }
  override render() {
    return html`<strong>${this.label}</strong> <span>ready</span> <button type="button">Action</button>`;
  }
}

for (const tag of ['baseline-filters', 'baseline-export', 'baseline-toggle', 'baseline-feed', 'baseline-health']) {
  customElements.define(tag, class extends BaselineWidget {});
}
