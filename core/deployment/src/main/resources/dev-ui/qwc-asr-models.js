import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import '@vaadin/grid';
import { columnBodyRenderer } from '@vaadin/grid/lit.js';

/** The providers' model catalogues: each model's size, whether the local cache has it, where, and whether it is in use. */
export class QwcAsrModels extends LitElement {

    jsonRpc = new JsonRpc(this);

    static styles = css`
        .path { font-family: monospace; font-size: small; }
        .cached { color: var(--lumo-success-text-color); font-weight: bold; }
        .missing { color: var(--lumo-secondary-text-color); }
    `;

    static properties = {
        _models: { state: true },
    };

    connectedCallback() {
        super.connectedCallback();
        this.jsonRpc.getModels().then(response => this._models = response.result);
    }

    render() {
        if (!this._models) {
            return html`<span>Loading the model catalogue...</span>`;
        }
        if (this._models.length === 0) {
            return html`<span>The application's providers have no model catalogue.</span>`;
        }
        const cached = this._models.filter(m => m.cached).length;
        return html`
            <p>${cached} of ${this._models.length} catalogue models are in the local cache.</p>
            <vaadin-grid .items="${this._models}" theme="row-stripes compact" all-rows-visible>
                <vaadin-grid-column path="provider" header="Provider" auto-width flex-grow="0"></vaadin-grid-column>
                <vaadin-grid-column path="name" header="Model" auto-width flex-grow="0"></vaadin-grid-column>
                <vaadin-grid-column header="Size" text-align="end" auto-width flex-grow="0" ${columnBodyRenderer(m => html`${this._size(m.size)}`, [])}></vaadin-grid-column>
                <vaadin-grid-column header="Cached" auto-width flex-grow="0" ${columnBodyRenderer(m => m.cached
                    ? html`<span class="cached">yes${m.inUse ? ', in use' : ''}</span>`
                    : html`<span class="missing">no</span>`, [])}></vaadin-grid-column>
                <vaadin-grid-column header="Path" ${columnBodyRenderer(m => html`<span class="path">${m.path}</span>`, [])}></vaadin-grid-column>
            </vaadin-grid>`;
    }

    _size(bytes) {
        if (bytes === null || bytes === undefined) {
            return '?';
        }
        return bytes >= 1024 * 1024 * 1024 ? `${(bytes / (1024 * 1024 * 1024)).toFixed(2)} GiB`
            : `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
    }
}
customElements.define('qwc-asr-models', QwcAsrModels);
