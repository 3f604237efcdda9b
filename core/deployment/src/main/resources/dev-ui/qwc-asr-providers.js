import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import '@vaadin/grid';
import { columnBodyRenderer } from '@vaadin/grid/lit.js';

/** The application's speech-to-text providers: name, provider, model, capabilities and what each tells of itself. */
export class QwcAsrProviders extends LitElement {

    jsonRpc = new JsonRpc(this);

    static styles = css`
        .details { white-space: pre-wrap; font-family: monospace; font-size: small; }
    `;

    static properties = {
        _providers: { state: true },
    };

    connectedCallback() {
        super.connectedCallback();
        this.jsonRpc.getProviders().then(response => this._providers = response.result);
    }

    render() {
        if (!this._providers) {
            return html`<span>Loading the providers...</span>`;
        }
        return html`
            <vaadin-grid .items="${this._providers}" theme="row-stripes" all-rows-visible>
                <vaadin-grid-column header="Name" ${columnBodyRenderer(p => html`${p.name}${p.isDefault ? ' (default)' : ''}`, [])}></vaadin-grid-column>
                <vaadin-grid-column path="provider" header="Provider"></vaadin-grid-column>
                <vaadin-grid-column path="model" header="Model"></vaadin-grid-column>
                <vaadin-grid-column header="Capabilities" ${columnBodyRenderer(p => html`${p.capabilities.join(', ')}`, [])}></vaadin-grid-column>
                <vaadin-grid-column header="Details" flex-grow="3" ${columnBodyRenderer(p => html`<div class="details">${Object.entries(p.details).map(([key, value]) => `${key}: ${value}`).join('\n')}</div>`, [])}></vaadin-grid-column>
            </vaadin-grid>`;
    }
}
customElements.define('qwc-asr-providers', QwcAsrProviders);
