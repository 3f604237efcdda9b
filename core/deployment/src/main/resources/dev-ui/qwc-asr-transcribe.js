import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import '@vaadin/button';
import '@vaadin/select';
import '@vaadin/text-field';
import '@vaadin/progress-bar';
import '@vaadin/grid';

/**
 * Transcribes an uploaded file, or a recording from the microphone, with one of the application's providers, and shows
 * the transcript with its segments and their times. The Dev UI's web socket takes messages of at most 64 KiB, so the
 * audio goes up in base64 pieces of 32 KiB.
 */
export class QwcAsrTranscribe extends LitElement {

    static PIECE_BYTES = 32 * 1024;

    jsonRpc = new JsonRpc(this);

    static styles = css`
        :host { display: flex; flex-direction: column; gap: var(--lumo-space-m); padding: var(--lumo-space-m); }
        .controls { display: flex; flex-wrap: wrap; align-items: baseline; gap: var(--lumo-space-m); }
        .file { display: none; }
        #provider { width: 24em; }
        .error { color: var(--lumo-error-text-color); white-space: pre-wrap; }
        .error-type { font-family: monospace; }
        .transcript { font-size: var(--lumo-font-size-l); }
        .summary { color: var(--lumo-secondary-text-color); }
    `;

    static properties = {
        _providers: { state: true },
        _provider: { state: true },
        _language: { state: true },
        _busy: { state: true },
        _progress: { state: true },
        _recording: { state: true },
        _result: { state: true },
        _error: { state: true },
    };

    constructor() {
        super();
        this._language = '';
        this._busy = null;
        this._recording = null;
    }

    connectedCallback() {
        super.connectedCallback();
        this.jsonRpc.getProviders().then(response => {
            this._providers = response.result;
            const chosen = this._providers.find(p => p.isDefault) || this._providers[0];
            this._provider = chosen ? chosen.name : '';
        });
    }

    disconnectedCallback() {
        this._stopCapture();
        super.disconnectedCallback();
    }

    render() {
        if (!this._providers) {
            return html`<span>Loading the providers...</span>`;
        }
        const items = this._providers.map(p => ({ label: p.name + (p.isDefault ? ' (default)' : '') + ' - ' + p.model, value: p.name }));
        return html`
            <div class="controls">
                <vaadin-select id="provider" label="Provider" .items="${items}" .value="${this._provider}"
                    @value-changed="${e => this._provider = e.detail.value}"></vaadin-select>
                <vaadin-text-field id="language" label="Language" placeholder="provider default" clear-button-visible
                    helper-text="ISO 639-1 code, or auto" .value="${this._language}"
                    @value-changed="${e => this._language = e.detail.value}"></vaadin-text-field>
                <input class="file" id="file" type="file" accept="audio/*,video/webm,video/mp4,.wav,.flac,.mp3,.ogg,.oga,.opus,.webm,.m4a,.mp4"
                    @change="${this._fileChosen}">
                <vaadin-button id="upload" theme="primary" ?disabled="${this._busy || this._recording}"
                    @click="${() => this.renderRoot.querySelector('#file').click()}">Upload a file</vaadin-button>
                <vaadin-button id="record" ?disabled="${this._busy}" @click="${this._toggleRecording}">
                    ${this._recording ? 'Stop and transcribe' : 'Record from the microphone'}</vaadin-button>
            </div>
            ${this._renderState()}
            ${this._renderResult()}`;
    }

    _renderState() {
        if (this._recording) {
            return html`<div id="status">Recording... ${this._recording.seconds.toFixed(0)} s</div>`;
        }
        if (this._busy) {
            return html`<div id="status">${this._busy}</div>
                <vaadin-progress-bar ?indeterminate="${this._progress === undefined}" .value="${this._progress}"></vaadin-progress-bar>`;
        }
        if (this._error) {
            return html`<div id="error" class="error"><span class="error-type">${this._error.type}</span>: ${this._error.message}</div>`;
        }
        return html``;
    }

    _renderResult() {
        if (!this._result) {
            return html``;
        }
        const r = this._result;
        return html`
            <div id="transcript" class="transcript">${r.text}</div>
            <div id="summary" class="summary">${r.provider}: ${r.segments.length} ${r.segments.length === 1 ? 'segment' : 'segments'},
                ${r.duration.toFixed(1)} s of audio, language ${r.language}</div>
            <vaadin-grid id="segments" .items="${r.segments}" theme="row-stripes compact" all-rows-visible>
                <vaadin-grid-column header="Start" auto-width flex-grow="0" .renderer="${this._timeRenderer('start')}"></vaadin-grid-column>
                <vaadin-grid-column header="End" auto-width flex-grow="0" .renderer="${this._timeRenderer('end')}"></vaadin-grid-column>
                <vaadin-grid-column path="text" header="Text"></vaadin-grid-column>
            </vaadin-grid>`;
    }

    _timeRenderer(field) {
        return (root, column, model) => root.textContent = QwcAsrTranscribe._time(model.item[field]);
    }

    /** mm:ss.cc */
    static _time(seconds) {
        const minutes = Math.floor(seconds / 60);
        const rest = (seconds - minutes * 60).toFixed(2).padStart(5, '0');
        return `${String(minutes).padStart(2, '0')}:${rest}`;
    }

    _fileChosen(event) {
        const file = event.target.files[0];
        event.target.value = '';
        if (file) {
            this._transcribe(file, file.name);
        }
    }

    async _toggleRecording() {
        if (this._recording) {
            const wav = this._stopCapture();
            this._transcribe(new Blob([wav], { type: 'audio/wav' }), 'recording.wav');
            return;
        }
        this._error = null;
        this._result = null;
        try {
            // the samples are taken as they are, without the browser's processing for calls
            const stream = await navigator.mediaDevices.getUserMedia({
                audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
            const context = new AudioContext();
            const source = context.createMediaStreamSource(stream);
            // a ScriptProcessorNode needs no separate module, as an AudioWorklet would
            const processor = context.createScriptProcessor(4096, 1, 1);
            const recording = { stream, context, source, processor, blocks: [], seconds: 0 };
            processor.onaudioprocess = e => {
                recording.blocks.push(new Float32Array(e.inputBuffer.getChannelData(0)));
                recording.seconds += e.inputBuffer.duration;
                this.requestUpdate();
            };
            source.connect(processor);
            processor.connect(context.destination);
            this._recording = recording;
        } catch (e) {
            this._error = { type: 'microphone', message: `The microphone cannot be used: ${e.message || e}` };
        }
    }

    /** Stops the capture; returns what it recorded as a 16-bit mono WAV file. */
    _stopCapture() {
        const r = this._recording;
        if (!r) {
            return null;
        }
        this._recording = null;
        r.processor.disconnect();
        r.source.disconnect();
        r.stream.getTracks().forEach(track => track.stop());
        r.context.close();
        return QwcAsrTranscribe._wav(r.blocks, r.context.sampleRate);
    }

    static _wav(blocks, sampleRate) {
        const count = blocks.reduce((sum, block) => sum + block.length, 0);
        const view = new DataView(new ArrayBuffer(44 + count * 2));
        const text = (offset, value) => [...value].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
        text(0, 'RIFF');
        view.setUint32(4, 36 + count * 2, true);
        text(8, 'WAVE');
        text(12, 'fmt ');
        view.setUint32(16, 16, true);
        view.setUint16(20, 1, true);
        view.setUint16(22, 1, true);
        view.setUint32(24, sampleRate, true);
        view.setUint32(28, sampleRate * 2, true);
        view.setUint16(32, 2, true);
        view.setUint16(34, 16, true);
        text(36, 'data');
        view.setUint32(40, count * 2, true);
        let offset = 44;
        for (const block of blocks) {
            for (const sample of block) {
                view.setInt16(offset, Math.max(-1, Math.min(1, sample)) * 0x7fff, true);
                offset += 2;
            }
        }
        return view.buffer;
    }

    async _transcribe(blob, name) {
        this._error = null;
        this._result = null;
        this._progress = 0;
        this._busy = `Uploading ${name}...`;
        try {
            const started = await this._call('startUpload', { name, size: blob.size });
            const bytes = new Uint8Array(await blob.arrayBuffer());
            for (let offset = 0; offset < bytes.length; offset += QwcAsrTranscribe.PIECE_BYTES) {
                const piece = bytes.subarray(offset, offset + QwcAsrTranscribe.PIECE_BYTES);
                const appended = await this._call('appendUpload', { uploadId: started.uploadId, data: QwcAsrTranscribe._base64(piece) });
                this._progress = appended.received / bytes.length;
            }
            this._progress = undefined;
            this._busy = `Transcribing ${name}...`;
            this._result = await this._call('transcribe', { uploadId: started.uploadId, provider: this._provider || '', language: this._language || '' });
        } catch (e) {
            this._error = e.type ? e : { type: 'error', message: e.message || String(e) };
        } finally {
            this._busy = null;
        }
    }

    /** Calls a JSON-RPC method; throws the error it answers, typed, or the failure of the call itself. */
    async _call(method, params) {
        let response;
        try {
            response = await this.jsonRpc[method](params);
        } catch (e) {
            throw { type: 'dev_ui', message: `The Dev UI could not call ${method}: ${e.error?.message || e.message || e}` };
        }
        if (response.result.error) {
            throw response.result.error;
        }
        return response.result;
    }

    static _base64(bytes) {
        let binary = '';
        for (let i = 0; i < bytes.length; i += 8192) {
            binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
        }
        return btoa(binary);
    }
}
customElements.define('qwc-asr-transcribe', QwcAsrTranscribe);
