import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import '@vaadin/grid';
import '@vaadin/button';
import { columnBodyRenderer } from '@vaadin/grid/lit.js';

/**
 * The application's speech-to-text providers: name, provider, model, capabilities, what each tells of itself (for
 * whisper: the whisper.cpp library's version, variant, backends and system info) and its health.
 */
export class QwcAsrProviders extends LitElement {

    jsonRpc = new JsonRpc(this);

    static styles = css`
        .details { white-space: pre-wrap; font-family: monospace; font-size: small; }
        .wrap { white-space: normal; overflow-wrap: anywhere; }
        .status { font-weight: bold; }
        .UP { color: var(--lumo-success-text-color); }
        .DOWN { color: var(--lumo-error-text-color); }
        .UNKNOWN { color: var(--lumo-secondary-text-color); }
    `;

    static properties = {
        _providers: { state: true },
        _health: { state: true },
    };

    connectedCallback() {
        super.connectedCallback();
        this.jsonRpc.getProviders().then(response => this._providers = response.result);
        this._refreshHealth();
    }

    _refreshHealth() {
        this.jsonRpc.getHealth().then(response => this._health = response.result);
    }

    render() {
        if (!this._providers) {
            return html`<span>Loading the providers...</span>`;
        }
        return html`
            <vaadin-grid .items="${this._providers}" theme="row-stripes" all-rows-visible>
                <vaadin-grid-column header="Name" auto-width flex-grow="0" ${columnBodyRenderer(p => html`${p.name}${p.isDefault ? ' (default)' : ''}`, [])}></vaadin-grid-column>
                <vaadin-grid-column path="provider" header="Provider" auto-width flex-grow="0"></vaadin-grid-column>
                <vaadin-grid-column header="Model" ${columnBodyRenderer(p => html`<div class="wrap">${p.model}</div>`, [])}></vaadin-grid-column>
                <vaadin-grid-column header="Capabilities" ${columnBodyRenderer(p => html`<div class="details">${p.capabilities.join('\n')}</div>`, [])}></vaadin-grid-column>
                <vaadin-grid-column header="Details" flex-grow="3" ${columnBodyRenderer(p => this._entries(p.details), [])}></vaadin-grid-column>
                <vaadin-grid-column header="Health" flex-grow="2" ${columnBodyRenderer(p => this._renderHealth(p), [this._health])}></vaadin-grid-column>
            </vaadin-grid>
            <vaadin-button theme="tertiary" @click="${this._refreshHealth}">Check the health again</vaadin-button>`;
    }

    _renderHealth(provider) {
        if (!this._health) {
            return html`<span>Checking...</span>`;
        }
        const health = this._health.find(h => h.name === provider.name);
        if (!health) {
            return html``;
        }
        return html`<div class="status ${health.status}">${health.status}</div>${this._entries(health.data)}`;
    }

    _entries(map) {
        return html`<div class="details">${Object.entries(map).map(([key, value]) => `${key}: ${value}`).join('\n')}</div>`;
    }
}
customElements.define('qwc-asr-providers', QwcAsrProviders);
