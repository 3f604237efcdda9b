// Live captions: microphone -> 16-bit PCM over the WebSocket at /v1/audio/live -> partial and final text.
// File form: POST /v1/audio/transcriptions with response_format=verbose_json -> segments with their times.
(() => {
  'use strict';

  const toggle = document.getElementById('live-toggle');
  const liveStatus = document.getElementById('live-status');
  const finals = document.getElementById('finals');
  const partial = document.getElementById('partial');

  /** Runs in the audio thread: hands each block of samples to the page. */
  const CAPTURE = `
    class Capture extends AudioWorkletProcessor {
      process(inputs) {
        if (inputs[0].length > 0) this.port.postMessage(inputs[0][0].slice());
        return true;
      }
    }
    registerProcessor('capture', Capture);`;

  let session = null;

  function setStatus(text) {
    liveStatus.textContent = text;
  }

  function pcm16(blocks, length) {
    const out = new Int16Array(length);
    let at = 0;
    for (const block of blocks) {
      for (let i = 0; i < block.length; i++) {
        const s = Math.max(-1, Math.min(1, block[i]));
        out[at++] = s < 0 ? s * 0x8000 : s * 0x7fff;
      }
    }
    return out.buffer;
  }

  /** Opens the WebSocket; resolves once it is open, so that no audio is captured before it can be sent. */
  function connect(url) {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.binaryType = 'arraybuffer';
      socket.onopen = () => resolve(socket);
      socket.onclose = (close) => reject(new Error(`connection closed (${close.code} ${close.reason})`));
    });
  }

  async function start() {
    finals.textContent = '';
    partial.textContent = '';
    const context = new AudioContext();
    const url = URL.createObjectURL(new Blob([CAPTURE], { type: 'application/javascript' }));
    await context.audioWorklet.addModule(url);
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    let socket;
    let stream;
    try {
      socket = await connect(`${scheme}//${location.host}/v1/audio/live?sample_rate=${context.sampleRate}`);
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false }
      });
    } catch (error) {
      if (socket) socket.close();
      context.close();
      throw error;
    }

    // about 100 ms of audio per message
    const perMessage = Math.round(context.sampleRate / 10);
    let blocks = [];
    let length = 0;
    const flush = () => {
      if (length > 0 && socket.readyState === WebSocket.OPEN) {
        socket.send(pcm16(blocks, length));
      }
      blocks = [];
      length = 0;
    };
    session = { stream, context, socket, flush, stopping: false };
    const capture = new AudioWorkletNode(context, 'capture');
    capture.port.onmessage = (event) => {
      if (session === null || session.stopping) return;
      blocks.push(event.data);
      length += event.data.length;
      if (length >= perMessage) flush();
    };
    socket.onmessage = (message) => {
      const event = JSON.parse(message.data);
      switch (event.type) {
        case 'partial':
          partial.textContent = event.text;
          break;
        case 'final': {
          const span = document.createElement('span');
          span.className = 'final';
          span.textContent = event.text;
          finals.appendChild(span);
          break;
        }
        case 'end':
          partial.textContent = '';
          setStatus('ended');
          break;
        case 'error':
          setStatus(`error: ${event.message}`);
          break;
      }
    };
    socket.onclose = (close) => {
      release();
      if (close.code !== 1000 && !liveStatus.textContent.startsWith('error')) {
        setStatus(`closed (${close.code})`);
      }
    };
    context.createMediaStreamSource(stream).connect(capture);
    await context.resume();
    setStatus('listening');
    toggle.textContent = 'Stop';
    toggle.disabled = false;
  }

  function stop() {
    if (!session) return;
    session.stopping = true;
    setStatus('finishing');
    toggle.disabled = true;
    session.stream.getTracks().forEach((track) => track.stop());
    session.flush();
    if (session.socket.readyState === WebSocket.OPEN) {
      session.socket.send(JSON.stringify({ type: 'stop' }));
    }
  }

  function release() {
    if (!session) return;
    session.stream.getTracks().forEach((track) => track.stop());
    session.context.close();
    session = null;
    toggle.textContent = 'Start';
    toggle.disabled = false;
  }

  toggle.addEventListener('click', () => {
    if (session) {
      stop();
    } else {
      toggle.disabled = true;
      setStatus('connecting');
      start().catch((error) => {
        setStatus(`error: ${error.message}`);
        release();
        toggle.disabled = false;
      });
    }
  });

  // File upload
  const form = document.getElementById('upload-form');
  const uploadStatus = document.getElementById('upload-status');
  const rows = document.querySelector('#segments tbody');

  function time(seconds) {
    const minutes = Math.floor(seconds / 60);
    return `${String(minutes).padStart(2, '0')}:${(seconds - minutes * 60).toFixed(2).padStart(5, '0')}`;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    rows.replaceChildren();
    uploadStatus.textContent = 'transcribing';
    const body = new FormData();
    body.append('file', document.getElementById('upload-file').files[0]);
    body.append('response_format', 'verbose_json');
    try {
      const response = await fetch('/v1/audio/transcriptions', { method: 'POST', body });
      const answer = await response.json();
      if (!response.ok) {
        uploadStatus.textContent = `error: ${answer.error.message}`;
        return;
      }
      for (const segment of answer.segments) {
        const row = rows.insertRow();
        row.insertCell().textContent = time(segment.start);
        row.insertCell().textContent = time(segment.end);
        row.insertCell().textContent = segment.text.trim();
        row.cells[0].className = 'time';
        row.cells[1].className = 'time';
      }
      const count = answer.segments.length;
      uploadStatus.textContent = `${count} segment${count === 1 ? '' : 's'}, ${answer.duration.toFixed(1)} s`;
    } catch (error) {
      uploadStatus.textContent = `error: ${error.message}`;
    }
  });
})();
